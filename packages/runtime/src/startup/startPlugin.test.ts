import { describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { BackendStartupError } from '../errors/BackendStartupError';
import { createTestDoubles, startError } from '../__fixtures__/testDoubles';

function plugin(
  pluginId: string,
  init: (deps: any) => void | Promise<void> = () => {},
  deps: any = {},
  extra?: (reg: any) => void,
) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      extra?.(reg);
      reg.registerInit({ deps, init });
    },
  });
}

function module(
  pluginId: string,
  moduleId: string,
  init: (deps: any) => void | Promise<void> = () => {},
  deps: any = {},
  extra?: (reg: any) => void,
) {
  return createBackendModule({
    pluginId,
    moduleId,
    register(reg) {
      extra?.(reg);
      reg.registerInit({ deps, init });
    },
  });
}

function setup(config: Record<string, unknown> = {}) {
  const doubles = createTestDoubles(config);
  const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
  return { ...doubles, backend };
}

describe('startPlugin', () => {
  it('should run a module that provides an extension point after the modules that use it', async () => {
    const { backend, events } = setup();
    const registry = createExtensionPoint<{ add(name: string): void }>({ id: 'p.registry' });
    const added: string[] = [];
    backend.add(plugin('p', () => void events.push('p:init')));
    backend.add(
      module(
        'p',
        'provider',
        () => void events.push(`provider:init with ${added.join(',')}`),
        {},
        reg =>
          reg.registerExtensionPoint({
            extensionPoint: registry,
            factory: () => ({ add: (name: string) => added.push(name) }),
          }),
      ),
    );
    backend.add(
      module('p', 'user', ({ ep }) => void (ep.add('user'), events.push('user:init')), {
        ep: registry,
      }),
    );

    await backend.start();

    expect(events.slice(0, 3)).toEqual(['user:init', 'provider:init with user', 'p:init']);
  });

  it('should create one extension point impl per consuming module, with reportModuleStartupFailure', async () => {
    const { backend } = setup();
    const ep = createExtensionPoint<object>({ id: 'p.ep' });
    const contexts: any[] = [];
    const impls: object[] = [];
    backend.add(
      plugin(
        'p',
        () => {},
        {},
        reg =>
          reg.registerExtensionPoint({
            extensionPoint: ep,
            factory: (context: any) => (contexts.push(context), {}),
          }),
      ),
    );
    backend.add(module('p', 'one', ({ ep: impl }) => void impls.push(impl), { ep }));
    backend.add(module('p', 'two', ({ ep: impl }) => void impls.push(impl), { ep }));

    await backend.start();

    expect(contexts).toHaveLength(2);
    expect(typeof contexts[0].reportModuleStartupFailure).toBe('function');
    expect(impls[0]).not.toBe(impls[1]);
  });

  it('should accept the older [ref, impl] extension point registrations', async () => {
    const { backend } = setup();
    const ep = createExtensionPoint<{ value: number }>({ id: 'p.legacy' });
    const impl = { value: 42 };
    let seen: unknown;
    backend.add(
      plugin(
        'p',
        () => {},
        {},
        reg => reg.registerExtensionPoint(ep, impl),
      ),
    );
    backend.add(module('p', 'm', ({ ep: got }) => void (seen = got), { ep }));

    await backend.start();

    expect(seen).toBe(impl);
  });

  it('should fail start() with the plugin id and the cause when a plugin init throws', async () => {
    const { backend, events } = setup();
    const cause = new Error('boom');
    backend.add(plugin('broken', () => Promise.reject(cause)));
    backend.add(plugin('fine'));

    const error = await startError(backend.start());

    expect(error).toBeInstanceOf(BackendStartupError);
    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 1 plugin failed to start:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugin 'broken' failed to start: Error: boom. Fix the cause, or set 'backend.startup.plugins.broken.onPluginBootFailure: continue' to start the backend without 'broken'.",
      ].join('\n'),
    );
    expect(error.cause.cause).toBe(cause);
    expect(error.result.outcome).toBe('failure');
    const broken = error.result.plugins.find((p: any) => p.pluginId === 'broken');
    expect(broken.failure).toEqual({ error: error.cause, allowed: false });
    expect(events).not.toContain('root:startup');
    expect(events).toContain('fine:startup');
  });

  it('should name the plugin and module when a module init throws', async () => {
    const { backend } = setup();
    backend.add(plugin('catalog'));
    backend.add(
      module('catalog', 'github', () => {
        throw new Error('bad token');
      }),
    );

    const error = await startError(backend.start());

    expect(error.message).toContain(
      "BACKPLANE_MODULE_STARTUP_FAILED: Module 'github' of plugin 'catalog' failed to start: Error: bad token. Fix the cause, or set 'backend.startup.plugins.catalog.modules.github.onPluginModuleBootFailure: continue' to start plugin 'catalog' without this module.",
    );
    expect(error.cause.cause.message).toBe('bad token');
    expect(error.result.plugins[0].modules[0].failure.allowed).toBe(false);
  });

  it('should go on without a plugin whose onPluginBootFailure is continue, and log a warning', async () => {
    const { backend, logs, events } = setup({
      backend: { startup: { plugins: { broken: { onPluginBootFailure: 'continue' } } } },
    });
    backend.add(
      plugin('broken', () => {
        throw new Error('boom');
      }),
    );
    backend.add(plugin('fine'));

    const { result } = await backend.start();

    expect(result.outcome).toBe('success');
    const broken = result.plugins.find(p => p.pluginId === 'broken')!;
    expect(broken.failure?.allowed).toBe(true);
    // The setting is already there: the message does not suggest it again.
    expect(broken.failure?.error.message).toBe(
      "BACKPLANE_PLUGIN_STARTUP_FAILED: Plugin 'broken' failed to start: Error: boom. Fix the cause to start the plugin again.",
    );
    expect(logs.filter(log => log.level === 'warn')).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'Plugin failed to start; continuing without it, as the setting allows',
        fields: { plugin: 'broken', setting: 'backend.startup.plugins.broken.onPluginBootFailure' },
        meta: broken.failure?.error,
      }),
    ]);
    expect(events).toContain('root:startup');
  });

  it('should count only the started plugins in Backend started, and name the failed ones', async () => {
    const { backend, logs } = setup({
      backend: { startup: { plugins: { broken: { onPluginBootFailure: 'continue' } } } },
    });
    backend.add(
      plugin('broken', () => {
        throw new Error('boom');
      }),
    );
    backend.add(plugin('fine'));

    const { result } = await backend.start();

    const started = logs.filter(log => log.level === 'info').map(log => [log.message, log.meta]);
    expect(started).toEqual([
      ['Plugin started', { plugin: 'fine', durationMs: result.plugins[1].durationMs }],
      [
        'Backend started',
        { durationMs: result.durationMs, plugins: 1, failed: 1, failedPlugins: ['broken'] },
      ],
    ]);
  });

  it('should log Backend started without failure fields when every plugin started', async () => {
    const { backend, logs } = setup();
    backend.add(plugin('one'));
    backend.add(plugin('two'));

    const { result } = await backend.start();

    expect(logs.find(log => log.message === 'Backend started')?.meta).toEqual({
      durationMs: result.durationMs,
      plugins: 2,
    });
  });

  it('should take the default from backend.startup.default and let a plugin setting override it', async () => {
    const { backend } = setup({
      backend: {
        startup: {
          default: { onPluginBootFailure: 'continue' },
          plugins: { strict: { onPluginBootFailure: 'abort' } },
        },
      },
    });
    backend.add(
      plugin('lenient', () => {
        throw new Error('one');
      }),
    );
    backend.add(
      plugin('strict', () => {
        throw new Error('two');
      }),
    );

    const error = await startError(backend.start());

    expect(error.message).toContain("Plugin 'strict' failed to start");
    expect(error.message).not.toContain("Plugin 'lenient'");
    const lenient = error.result.plugins.find((p: any) => p.pluginId === 'lenient');
    expect(lenient.failure.allowed).toBe(true);
  });

  it('should go on without a module whose onPluginModuleBootFailure is continue', async () => {
    const { backend, logs } = setup({
      backend: {
        startup: {
          plugins: { catalog: { modules: { github: { onPluginModuleBootFailure: 'continue' } } } },
        },
      },
    });
    let pluginStarted = false;
    backend.add(plugin('catalog', () => void (pluginStarted = true)));
    backend.add(
      module('catalog', 'github', () => {
        throw new Error('bad token');
      }),
    );

    const { result } = await backend.start();

    expect(pluginStarted).toBe(true);
    expect(result.plugins[0].failure).toBeUndefined();
    expect(result.plugins[0].modules[0].failure?.allowed).toBe(true);
    expect(result.plugins[0].modules[0].failure?.error.message).toBe(
      "BACKPLANE_MODULE_STARTUP_FAILED: Module 'github' of plugin 'catalog' failed to start: Error: bad token. Fix the cause to start the module again.",
    );
    expect(logs[0]).toEqual(
      expect.objectContaining({
        level: 'warn',
        fields: {
          plugin: 'catalog',
          module: 'github',
          setting: 'backend.startup.plugins.catalog.modules.github.onPluginModuleBootFailure',
        },
      }),
    );
    expect(logs.find(log => log.message === 'Plugin started')?.meta).toEqual({
      plugin: 'catalog',
      durationMs: result.plugins[0].durationMs,
    });
  });

  it('should treat a failure reported through the extension point context as a module failure', async () => {
    const { backend } = setup();
    const ep = createExtensionPoint<{ register(fn: () => void): void }>({ id: 'catalog.hooks' });
    const registered: Array<{ fn: () => void; report: (e: { error: Error }) => void }> = [];
    backend.add(
      plugin(
        'catalog',
        () => {
          for (const { fn, report } of registered) {
            try {
              fn();
            } catch (error) {
              report({ error: error as Error });
            }
          }
        },
        {},
        reg =>
          reg.registerExtensionPoint({
            extensionPoint: ep,
            factory: ({ reportModuleStartupFailure }: any) => ({
              register: (fn: () => void) =>
                registered.push({ fn, report: reportModuleStartupFailure }),
            }),
          }),
      ),
    );
    backend.add(
      module(
        'catalog',
        'bad',
        ({ hooks }) =>
          hooks.register(() => {
            throw new Error('late');
          }),
        {
          hooks: ep,
        },
      ),
    );

    const error = await startError(backend.start());

    expect(error.message).toContain(
      "Module 'bad' of plugin 'catalog' failed to start: Error: late.",
    );
  });

  it('should reject an invalid boot failure setting before any plugin starts', async () => {
    const { backend } = setup({
      backend: { startup: { default: { onPluginBootFailure: 'ignore' } } },
    });
    let started = false;
    backend.add(plugin('p', () => void (started = true)));

    await expect(backend.start()).rejects.toThrow(
      "BACKPLANE_INVALID_STARTUP_CONFIG: Invalid boot failure config: 'backend.startup.default.onPluginBootFailure' is 'ignore'. Set each of these keys to 'abort' or 'continue', or remove it.",
    );
    expect(started).toBe(false);
  });

  it('should give each plugin its own lifecycle and run its startup hooks after its init', async () => {
    const { backend, events } = setup();
    backend.add(
      plugin('p', ({ lifecycle }) => lifecycle.addStartupHook(() => void events.push('p hook')), {
        lifecycle: coreServices.lifecycle,
      }),
    );

    await backend.start();

    expect(events).toEqual(['p:startup', 'p hook', 'root:startup']);
  });
});
