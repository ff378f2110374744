import { describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from './createSpecializedBackend';
import { createTestDoubles, startError } from './__fixtures__/testDoubles';

function plugin(
  pluginId: string,
  init: (deps: any) => void | Promise<void> = () => {},
  deps: any = {},
) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({ deps, init });
    },
  });
}

describe('createSpecializedBackend', () => {
  it('should start plugins with their services and resolve a result per plugin', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
    let seen: string | undefined;
    backend.add(
      plugin('example', ({ metadata }) => void (seen = metadata.getId()), {
        metadata: coreServices.pluginMetadata,
      }),
    );

    const { result } = await backend.start();

    expect(seen).toBe('example');
    expect(result.outcome).toBe('success');
    expect(result.plugins).toEqual([
      expect.objectContaining({ pluginId: 'example', modules: [], durationMs: expect.any(Number) }),
    ]);
    expect(result.plugins[0].failure).toBeUndefined();
    expect(result.beginAt.getTime()).toBeLessThanOrEqual(result.resultAt.getTime());
  });

  it('should unwrap default exports up to two levels and accept promises', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
    const started: string[] = [];
    backend.add({ default: plugin('one', () => void started.push('one')) } as any);
    backend.add(
      Promise.resolve({ default: { default: plugin('two', () => void started.push('two')) } }),
    );
    backend.add(Promise.resolve(plugin('three', () => void started.push('three'))));

    await backend.start();

    expect(started.sort()).toEqual(['one', 'three', 'two']);
  });

  it('should report what add() got that is not a feature at start, with every other problem', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });

    expect(() => backend.add({ pluginId: 'x' } as any)).not.toThrow();
    backend.add(undefined as any);
    backend.add(
      createBackendPlugin({
        pluginId: 'wants-config',
        register(reg) {
          reg.registerInit({ deps: { config: coreServices.rootConfig }, async init() {} });
        },
      }),
    );
    const error = await startError(backend.start());

    expect(error.message).toContain('the wiring check found 3 problems and started nothing');
    expect(error.message).toContain(
      "1. BACKPLANE_INVALID_FEATURE: backend.add() received an object with keys 'pluginId', which is not a backend feature. Pass a feature made by createBackendPlugin, createBackendModule, createServiceFactory or createBackendFeatureLoader, a module whose default export is one, or a promise of either, for example backend.add(import('./plugin')).",
    );
    expect(error.message).toContain(
      '2. BACKPLANE_INVALID_FEATURE: backend.add() received undefined, which is not a backend feature.',
    );
    expect(error.message).toContain(
      "3. BACKPLANE_MISSING_DEPENDENCY: Plugin 'wants-config' depends on service 'core.rootConfig'",
    );
  });

  it('should report a promise that resolves to a non-feature when starting', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(Promise.resolve({ default: 'oops' }) as any);

    const error = await startError(backend.start());

    expect(error.message).toContain(
      "1. BACKPLANE_INVALID_FEATURE: A promise passed to backend.add() received an object with keys 'default', which is not a backend feature.",
    );
  });

  it('should report a rejected feature promise with its cause', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    const cause = Object.assign(new Error("Cannot find module 'missing-plugin'"), {
      code: 'MODULE_NOT_FOUND',
    });
    backend.add(Promise.reject(cause));

    const error = await startError(backend.start());

    expect(error.problems[0].message).toBe(
      "A promise passed to backend.add() was rejected: Cannot find module 'missing-plugin'. Check the import path and that the package is installed.",
    );
    expect(error.cause).toBe(cause);
  });

  it('should say to fix the module when an imported feature fails while loading', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(import('./__fixtures__/throwsOnLoad.js'));

    const error = await startError(backend.start());

    expect(error.problems[0].message).toBe(
      'A promise passed to backend.add() was rejected: the plugin module failed on purpose. The module was found but failed while loading: fix the error in it (see the cause).',
    );
  });

  it('should throw when add() is called after start()', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    await backend.start();

    expect(() => backend.add(plugin('late'))).toThrow(
      'BACKPLANE_ADD_AFTER_START: backend.add() was called after backend.start(). Add every feature before starting the backend.',
    );
  });

  it('should reject a second start() and a start() after stop()', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    await backend.start();
    await expect(backend.start()).rejects.toThrow(
      'BACKPLANE_ALREADY_STARTED: backend.start() was called twice. Call it once and await the result.',
    );

    const stopped = createSpecializedBackend({ defaultServiceFactories: [] });
    await stopped.stop();
    await expect(stopped.start()).rejects.toThrow(
      'backend.start() was called after backend.stop(). Create a new backend to start again.',
    );
  });

  it('should run root services, then each plugin (always services, modules, init, lifecycle), then root startup', async () => {
    const doubles = createTestDoubles();
    const order: string[] = doubles.events;
    const alwaysRef = createServiceRef<string>({ id: 'test.always' });
    const always = createServiceFactory({
      service: alwaysRef,
      initialization: 'always',
      deps: { metadata: coreServices.pluginMetadata },
      factory: ({ metadata }) => void order.push(`${metadata.getId()}:always`) as any,
    });
    const eagerRoot = createServiceFactory({
      service: createServiceRef<string>({ id: 'test.eager', scope: 'root' }),
      deps: {},
      factory: () => void order.push('root:eager') as any,
    });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [...doubles.factories, always, eagerRoot],
    });
    backend.add(plugin('a', () => void order.push('a:init')));
    backend.add(
      createBackendModule({
        pluginId: 'a',
        moduleId: 'extra',
        register(reg) {
          reg.registerInit({ deps: {}, init: () => void order.push('a.extra:init') });
        },
      }),
    );

    await backend.start();

    expect(order).toEqual([
      'root:eager',
      'a:always',
      'a.extra:init',
      'a:init',
      'a:startup',
      'root:startup',
    ]);
  });

  it('should start plugins in parallel', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    backend.add(plugin('waiting', () => gate));
    backend.add(plugin('releasing', () => release()));

    await expect(backend.start()).resolves.toBeDefined();
  });

  it('should record how long each plugin and module took', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
    backend.add(plugin('slow', () => new Promise(resolve => setTimeout(resolve, 30))));
    backend.add(
      createBackendModule({
        pluginId: 'slow',
        moduleId: 'part',
        register(reg) {
          reg.registerInit({ deps: {}, init: () => new Promise(r => setTimeout(r, 20)) });
        },
      }),
    );

    const { result } = await backend.start();

    const [slow] = result.plugins;
    expect(slow.durationMs).toBeGreaterThanOrEqual(45);
    expect(slow.modules[0]).toEqual(
      expect.objectContaining({ moduleId: 'part', durationMs: expect.any(Number) }),
    );
    expect(slow.modules[0].durationMs).toBeGreaterThanOrEqual(15);
  });
});
