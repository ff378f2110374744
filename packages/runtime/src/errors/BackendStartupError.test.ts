import { describe, expect, it } from 'vitest';
import {
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { createTestDoubles, startError } from '../__fixtures__/testDoubles';
import { BackendStartupError } from './BackendStartupError';

const database = createServiceRef<object>({ id: 'test.database' });
const auth = createServiceRef<object>({ id: 'test.auth' });

/** Like `core.database` with `backend.database.client: oracle`: its root context throws. */
const badDatabase = createServiceFactory({
  service: database,
  deps: {},
  createRootContext() {
    throw new Error("Unsupported database client 'oracle' in 'backend.database.client'");
  },
  factory: () => ({}),
});

/** Like `core.auth` with a too short static token: the factory throws for every plugin. */
const badAuth = createServiceFactory({
  service: auth,
  deps: {},
  factory() {
    throw new Error("Invalid config 'backend.auth.externalAccess[0].options.token': too short");
  },
});

function plugin(pluginId: string, deps: any = {}, init: () => void = () => {}) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({ deps, init });
    },
  });
}

function setup(config: Record<string, unknown> = {}) {
  const doubles = createTestDoubles(config);
  const backend = createSpecializedBackend({
    defaultServiceFactories: [...doubles.factories, badDatabase, badAuth],
  });
  return { ...doubles, backend };
}

describe('BackendStartupError', () => {
  it('should name the cause once, with every plugin, when a root context fails for all of them', async () => {
    const { backend } = setup();
    for (const id of ['auth', 'catalog', 'proxy']) {
      backend.add(plugin(id, { db: database }));
    }

    const error = await startError(backend.start());

    expect(error).toBeInstanceOf(BackendStartupError);
    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 3 plugins failed to start, all for the same cause:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugins 'auth', 'catalog' and 'proxy' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating the root context of service 'test.database' failed: Error: Unsupported database client 'oracle' in 'backend.database.client'.",
      ].join('\n'),
    );
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(error.cause.errors).toHaveLength(3);
  });

  it('should group plugins whose plugin-scoped factory failed for the same reason', async () => {
    const { backend } = setup();
    backend.add(plugin('one', { auth }));
    backend.add(plugin('two', { auth }));

    const error = await startError(backend.start());

    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 2 plugins failed to start, all for the same cause:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugins 'one' and 'two' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating service 'test.auth' failed: Error: Invalid config 'backend.auth.externalAccess[0].options.token': too short.",
      ].join('\n'),
    );
  });

  it('should not suggest onPluginBootFailure: continue when a service factory failed', async () => {
    const { backend } = setup();
    backend.add(plugin('one', { auth }));

    const error = await startError(backend.start());

    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 1 plugin failed to start:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugin 'one' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating service 'test.auth' for plugin 'one' failed: Error: Invalid config 'backend.auth.externalAccess[0].options.token': too short.",
      ].join('\n'),
    );
  });

  it("should list a plugin's own init failure apart, suggesting continue only there", async () => {
    const { backend } = setup();
    backend.add(plugin('one', { db: database }));
    backend.add(
      plugin('own', {}, () => {
        throw new Error('boom');
      }),
    );
    backend.add(plugin('two', { db: database }));

    const error = await startError(backend.start());

    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 3 plugins failed to start, for 2 causes:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugins 'one' and 'two' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating the root context of service 'test.database' failed: Error: Unsupported database client 'oracle' in 'backend.database.client'.",
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugin 'own' failed to start: Error: boom. Fix the cause, or set 'backend.startup.plugins.own.onPluginBootFailure: continue' to start the backend without 'own'.",
      ].join('\n'),
    );
  });

  it('should name the module when a module failed on the shared service', async () => {
    const { backend } = setup();
    backend.add(plugin('one', { db: database }));
    backend.add(plugin('catalog'));
    backend.add(
      createBackendModule({
        pluginId: 'catalog',
        moduleId: 'github',
        register(reg) {
          reg.registerInit({ deps: { db: database }, init: () => {} });
        },
      }),
    );

    const error = await startError(backend.start());

    expect(error.message).toBe(
      [
        'BACKPLANE_STARTUP_FAILED: Backend startup failed; 2 plugins failed to start, all for the same cause:',
        "  - BACKPLANE_PLUGIN_STARTUP_FAILED: Plugins 'one' and 'catalog' (module 'github') failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating the root context of service 'test.database' failed: Error: Unsupported database client 'oracle' in 'backend.database.client'.",
      ].join('\n'),
    );
    const catalog = error.result.plugins.find((p: any) => p.pluginId === 'catalog');
    expect(catalog.failure.error.message).toBe(
      "BACKPLANE_MODULE_STARTUP_FAILED: Module 'github' of plugin 'catalog' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating the root context of service 'test.database' failed: Error: Unsupported database client 'oracle' in 'backend.database.client'.",
    );
  });
});
