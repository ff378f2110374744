import { describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { createTestDoubles } from '../__fixtures__/testDoubles';

function plugin(pluginId: string, deps: any, init: (deps: any) => void | Promise<void> = () => {}) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({ deps, init });
    },
  });
}

function backendWith(...factories: any[]) {
  return createSpecializedBackend({ defaultServiceFactories: factories });
}

describe('ServiceRegistry', () => {
  it('should match refs by id, not by object identity', async () => {
    const provided = createServiceRef<string>({ id: 'shared.thing' });
    const otherCopy = createServiceRef<string>({ id: 'shared.thing' });
    const backend = backendWith(
      createServiceFactory({ service: provided, deps: {}, factory: () => 'from-factory' }),
    );
    let seen: unknown;
    backend.add(plugin('p', { thing: otherCopy }, ({ thing }) => void (seen = thing)));

    await backend.start();

    expect(seen).toBe('from-factory');
  });

  it('should create a root service once and a plugin service once per plugin', async () => {
    const calls: string[] = [];
    const rootRef = createServiceRef<object>({ id: 'test.root', scope: 'root' });
    const pluginRef = createServiceRef<object>({ id: 'test.plugin' });
    const backend = backendWith(
      createServiceFactory({
        service: rootRef,
        deps: {},
        factory: () => (calls.push('root'), {}),
      }),
      createServiceFactory({
        service: pluginRef,
        deps: { metadata: coreServices.pluginMetadata, root: rootRef },
        createRootContext: () => (calls.push('context'), { shared: true }),
        factory: ({ metadata }, context) => (calls.push(`plugin:${metadata.getId()}`), context),
      }),
    );
    const seen: Record<string, any> = {};
    for (const id of ['a', 'b']) {
      backend.add(
        plugin(id, { one: pluginRef, two: pluginRef, root: rootRef }, deps => {
          seen[id] = deps;
        }),
      );
    }

    await backend.start();

    expect(calls.filter(c => c === 'root')).toHaveLength(1);
    expect(calls.filter(c => c === 'context')).toHaveLength(1);
    expect(calls.filter(c => c.startsWith('plugin:')).sort()).toEqual(['plugin:a', 'plugin:b']);
    expect(seen.a.one).toBe(seen.a.two);
    expect(seen.a.one).toEqual({ shared: true });
    expect(seen.a.root).toBe(seen.b.root);
  });

  it('should pass only root deps to createRootContext', async () => {
    const rootRef = createServiceRef<string>({ id: 'test.root', scope: 'root' });
    const pluginRef = createServiceRef<string>({ id: 'test.plugin' });
    let contextDeps: object | undefined;
    const backend = backendWith(
      createServiceFactory({ service: rootRef, deps: {}, factory: () => 'r' }),
      createServiceFactory({
        service: pluginRef,
        deps: { root: rootRef, metadata: coreServices.pluginMetadata },
        createRootContext: deps => void (contextDeps = deps),
        factory: () => 'p',
      }),
    );
    backend.add(plugin('p', { x: pluginRef }));

    await backend.start();

    expect(contextDeps).toEqual({ root: 'r' });
  });

  it("should create root services eagerly, except 'lazy' ones nobody uses", async () => {
    const created: string[] = [];
    const eager = createServiceRef<string>({ id: 'test.eager', scope: 'root' });
    const lazy = createServiceRef<string>({ id: 'test.lazy', scope: 'root' });
    const lazyUsed = createServiceRef<string>({ id: 'test.lazyUsed', scope: 'root' });
    const make = (service: any, initialization?: 'lazy') =>
      createServiceFactory({
        service,
        initialization,
        deps: {},
        factory: () => (created.push(service.id), service.id),
      });
    const backend = backendWith(make(eager), make(lazy, 'lazy'), make(lazyUsed, 'lazy'));
    backend.add(plugin('p', { used: lazyUsed }));

    await backend.start();

    expect(created.sort()).toEqual(['test.eager', 'test.lazyUsed']);
  });

  it("should create 'always' plugin services for every plugin, and other plugin services only on use", async () => {
    const created: string[] = [];
    const always = createServiceRef<string>({ id: 'test.always' });
    const onDemand = createServiceRef<string>({ id: 'test.onDemand' });
    const backend = backendWith(
      createServiceFactory({
        service: always,
        initialization: 'always',
        deps: { metadata: coreServices.pluginMetadata },
        factory: ({ metadata }) => (created.push(`always:${metadata.getId()}`), 'x'),
      }),
      createServiceFactory({
        service: onDemand,
        deps: { metadata: coreServices.pluginMetadata },
        factory: ({ metadata }) => (created.push(`onDemand:${metadata.getId()}`), 'y'),
      }),
    );
    backend.add(plugin('a', {}));
    backend.add(plugin('b', { y: onDemand }));

    await backend.start();

    expect(created.sort()).toEqual(['always:a', 'always:b', 'onDemand:b']);
  });

  it('should resolve a multiton ref to every factory result, and to [] when none exists', async () => {
    const many = createServiceRef<string>({ id: 'test.many', multiton: true });
    const none = createServiceRef<string>({ id: 'test.none', multiton: true });
    const backend = backendWith(
      createServiceFactory({ service: many, deps: {}, factory: () => 'default' }),
    );
    backend.add(createServiceFactory({ service: many, deps: {}, factory: () => 'one' }));
    backend.add(createServiceFactory({ service: many, deps: {}, factory: () => 'two' }));
    let seen: any;
    backend.add(plugin('p', { many, none }, deps => void (seen = deps)));

    await backend.start();

    expect(seen).toEqual({ many: ['one', 'two'], none: [] });
  });

  it('should let an added factory override the default factory of the same id', async () => {
    const ref = createServiceRef<string>({ id: 'test.thing' });
    const backend = backendWith(
      createServiceFactory({ service: ref, deps: {}, factory: () => 'default' }),
    );
    backend.add(createServiceFactory({ service: ref, deps: {}, factory: () => 'added' }));
    let seen: unknown;
    backend.add(plugin('p', { thing: ref }, ({ thing }) => void (seen = thing)));

    await backend.start();

    expect(seen).toBe('added');
  });

  it("should use a ref's defaultFactory when no factory was added, whether it resolves to a factory or a function", async () => {
    const direct: any = createServiceRef<string>({
      id: 'test.direct',
      defaultFactory: async service =>
        createServiceFactory({ service, deps: {}, factory: () => 'direct' }),
    });
    const viaFunction: any = createServiceRef<string>({
      id: 'test.viaFunction',
      defaultFactory: async service => () =>
        createServiceFactory({ service, deps: {}, factory: () => 'via-function' }),
    });
    const backend = backendWith();
    let seen: any;
    backend.add(plugin('p', { direct, viaFunction }, deps => void (seen = deps)));

    await backend.start();

    expect(seen).toEqual({ direct: 'direct', viaFunction: 'via-function' });
  });

  it('should synthesize core.rootInstanceMetadata with the instance id and a frozen plugin list', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({
      defaultServiceFactories: doubles.factories,
      instanceId: 'instance-1',
    });
    let metadata: any;
    backend.add(
      plugin(
        'a',
        { meta: coreServices.rootInstanceMetadata },
        ({ meta }) => void (metadata = meta),
      ),
    );
    backend.add(plugin('b', {}));

    await backend.start();

    expect(metadata.getId()).toBe('instance-1');
    const installed = await metadata.getInstalledPlugins();
    expect(installed).toEqual([
      { pluginId: 'a', modules: [] },
      { pluginId: 'b', modules: [] },
    ]);
    expect(Object.isFrozen(installed)).toBe(true);
    expect(Object.isFrozen(installed[0])).toBe(true);
  });

  it('should give core.rootInstanceMetadata a random UUID when no instanceId is set', async () => {
    const backend = backendWith();
    let id: string | undefined;
    backend.add(
      plugin(
        'a',
        { meta: coreServices.rootInstanceMetadata },
        ({ meta }) => void (id = meta.getId()),
      ),
    );

    await backend.start();

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('should use the rootInstanceMetadataFactory option instead of the synthesized core.rootInstanceMetadata', async () => {
    const rootConfig = createServiceRef<{ id: string }>({ id: 'test.rootConfig', scope: 'root' });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        createServiceFactory({ service: rootConfig, deps: {}, factory: () => ({ id: 'fixed-1' }) }),
      ],
      rootInstanceMetadataFactory: createServiceFactory({
        service: coreServices.rootInstanceMetadata,
        deps: { config: rootConfig },
        factory: ({ config }) => ({
          getId: () => config.id,
          getInstalledPlugins: async () => [{ pluginId: 'listed', modules: [] }],
        }),
      }),
    });
    let seen: unknown;
    backend.add(
      plugin(
        'a',
        { meta: coreServices.rootInstanceMetadata },
        async ({ meta }) => void (seen = [meta.getId(), await meta.getInstalledPlugins()]),
      ),
    );

    await backend.start();

    expect(seen).toEqual(['fixed-1', [{ pluginId: 'listed', modules: [] }]]);
  });

  it('should refuse a rootInstanceMetadataFactory option for another service or next to instanceId', () => {
    const factory = createServiceFactory({
      service: coreServices.rootInstanceMetadata,
      deps: {},
      factory: () => ({ getId: () => 'x', getInstalledPlugins: async () => [] }),
    });
    const other = createServiceFactory({
      service: createServiceRef<string>({ id: 'test.other', scope: 'root' }),
      deps: {},
      factory: () => 'other',
    });

    expect(() =>
      createSpecializedBackend({ defaultServiceFactories: [], rootInstanceMetadataFactory: other }),
    ).toThrow(
      "BACKPLANE_INVALID_FEATURE: rootInstanceMetadataFactory holds a factory for 'test.other'; pass a root service factory for 'core.rootInstanceMetadata'.",
    );
    expect(() =>
      createSpecializedBackend({
        defaultServiceFactories: [],
        instanceId: 'i-1',
        rootInstanceMetadataFactory: factory,
      }),
    ).toThrow(
      "BACKPLANE_INVALID_FEATURE: createSpecializedBackend was given both 'instanceId' and 'rootInstanceMetadataFactory', but the factory decides what 'core.rootInstanceMetadata' reports. Pass only one of them.",
    );
  });

  it('should fail the plugin when a service factory throws, naming the service and the plugin', async () => {
    const ref = createServiceRef<string>({ id: 'test.broken' });
    const backend = backendWith(
      createServiceFactory({
        service: ref,
        deps: {},
        factory: () => {
          throw new Error('no connection');
        },
      }),
    );
    backend.add(plugin('p', { broken: ref }));

    const error: any = await backend.start().catch(e => e);

    expect(error.message).toContain(
      "Plugin 'p' failed to start: BACKPLANE_SERVICE_FACTORY_FAILED: Creating service 'test.broken' for plugin 'p' failed: Error: no connection. Fix the factory of 'test.broken' or the configuration it reads.",
    );
    expect(error.cause.cause.cause.message).toBe('no connection');
  });

  it('should fail start() when an eager root service throws, keeping the cause', async () => {
    const ref = createServiceRef<string>({ id: 'test.server', scope: 'root' });
    const cause = new Error('Port 7007 is already in use');
    const backend = backendWith(
      createServiceFactory({
        service: ref,
        deps: {},
        factory: () => {
          throw cause;
        },
      }),
    );

    await expect(backend.start()).rejects.toMatchObject({
      code: 'BACKPLANE_SERVICE_FACTORY_FAILED',
      message:
        "BACKPLANE_SERVICE_FACTORY_FAILED: Creating root service 'test.server' failed: Error: Port 7007 is already in use. Fix the factory of 'test.server' or the configuration it reads.",
      cause,
    });
  });
});
