import knexFactory from 'knex';
import request from 'supertest';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import type { ServiceFactory, ServiceRef } from '@backplane/plugin-api';
import { startTestBackend } from '../backend/startTestBackend';
import { mockCredentials } from '../credentials/mockCredentials';
import { eventsServiceRef } from './MockEventsService';
import { mockServices } from './mockServices';

const SERVICE_IDS: Record<string, string> = {
  auth: 'core.auth',
  userInfo: 'core.userInfo',
  cache: 'core.cache',
  rootConfig: 'core.rootConfig',
  database: 'core.database',
  discovery: 'core.discovery',
  rootHealth: 'core.rootHealth',
  httpAuth: 'core.httpAuth',
  httpRouter: 'core.httpRouter',
  lifecycle: 'core.lifecycle',
  logger: 'core.logger',
  auditor: 'core.auditor',
  permissions: 'core.permissions',
  permissionsRegistry: 'core.permissionsRegistry',
  rootHttpRouter: 'core.rootHttpRouter',
  rootLifecycle: 'core.rootLifecycle',
  rootLogger: 'core.rootLogger',
  scheduler: 'core.scheduler',
  urlReader: 'core.urlReader',
  rootInstanceMetadata: 'core.rootInstanceMetadata',
  rootSystemMetadata: 'core.rootSystemMetadata',
  events: 'events.service',
};

describe('mockServices', () => {
  it('should have a factory and a mock for every core service and events', () => {
    expect(Object.keys(mockServices).sort()).toEqual(Object.keys(SERVICE_IDS).sort());
    for (const [name, id] of Object.entries(SERVICE_IDS)) {
      const entry = (mockServices as any)[name];
      const factory = entry.factory();
      expect({ name, type: factory.$$type, id: factory.service.id }).toEqual({
        name,
        type: '@backstage/BackendFeature',
        id,
      });
      const mock = entry.mock();
      expect({ name, id: mock.factory.service.id }).toEqual({ name, id });
    }
  });

  it('should make mocks whose methods record calls and use partial implementations', async () => {
    const cache = mockServices.cache.mock({ get: async () => 'cached' as any });
    await expect(cache.get('k')).resolves.toBe('cached');
    expect(cache.get).toHaveBeenCalledWith('k');
    expect(cache.set('k', 1)).toBeUndefined();
    expect(cache.withOptions({})).toBe(cache);
    const factory = cache.factory as any;
    await expect(factory.factory({}, undefined)).resolves.toBe(cache);
  });

  it('should make a config that can be updated and subscribed to', () => {
    const config = mockServices.rootConfig({ data: { backend: { baseUrl: 'http://x' } } });
    const changes: string[] = [];
    config.subscribe(() => changes.push(config.getString('backend.baseUrl')));
    config.update({ data: { backend: { baseUrl: 'http://y' } } });
    expect(changes).toEqual(['http://y']);
    expect(() => config.getString('missing.key')).toThrow('missing.key');
  });

  it('should make auth and httpAuth for a plugin id', async () => {
    const auth = mockServices.auth({ pluginId: 'catalog' });
    await expect(auth.getOwnServiceCredentials()).resolves.toEqual(
      mockCredentials.service('plugin:catalog'),
    );
    const httpAuth = mockServices.httpAuth({ defaultCredentials: mockCredentials.user() });
    await expect(httpAuth.credentials({ headers: {} } as any)).resolves.toEqual(
      mockCredentials.user(),
    );
  });

  it('should answer permissions with a fixed result', async () => {
    const permissions = mockServices.permissions({ result: 'DENY' });
    const permission = { name: 'x', attributes: {}, type: 'basic' as const };
    await expect(
      permissions.authorize([{ permission }, { permission }], {
        credentials: mockCredentials.user(),
      }),
    ).resolves.toEqual([{ result: 'DENY' }, { result: 'DENY' }]);
  });

  it('should wrap a given Knex client as the database', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const database = mockServices.database({ knex, migrations: { skip: true } });
    await expect(database.getClient()).resolves.toBe(knex);
    expect(database.migrations).toEqual({ skip: true });
    const factory = mockServices.database.factory({ knex }) as any;
    await expect((await factory.factory({}, undefined)).getClient()).resolves.toBe(knex);
    await knex.destroy();
  });

  it('should describe the instance and the system', async () => {
    const plugins = [{ pluginId: 'catalog', modules: [] }];
    const instance = mockServices.rootInstanceMetadata({ instanceId: 'i-1', plugins });
    expect(instance.getId()).toBe('i-1');
    await expect(instance.getInstalledPlugins()).resolves.toEqual(plugins);
    await expect(mockServices.rootSystemMetadata().getInstalledPlugins()).resolves.toEqual([]);
    const mock = mockServices.rootInstanceMetadata.mock();
    await expect(mock.getInstalledPlugins()).resolves.toEqual([]);
    expect(mock.getId()).toBeUndefined();
    await expect(mockServices.rootSystemMetadata.mock().getInstalledPlugins()).resolves.toEqual([]);
  });

  it('should make an events bus and a scheduler', async () => {
    const events = mockServices.events();
    const seen: unknown[] = [];
    await events.subscribe({ id: 's', topics: ['t'], onEvent: async e => void seen.push(e) });
    await events.publish({ topic: 't', eventPayload: 1 });
    expect(seen).toHaveLength(1);
    await expect(mockServices.scheduler().getScheduledTasks()).resolves.toEqual([]);
  });

  it('should use the ref of each core service', () => {
    expect(mockServices.logger.mock().factory.service).toBe(coreServices.logger);
  });
});

type EntryName = keyof typeof mockServices;

const ENTRY_NAMES = Object.keys(SERVICE_IDS) as EntryName[];

function refOf(name: EntryName): ServiceRef<unknown, 'root' | 'plugin'> {
  return name === 'events' ? eventsServiceRef : (coreServices as any)[name];
}

/** A plugin that keeps the instance of `ref` it was given. */
function receivingPlugin(ref: ServiceRef<unknown, 'root' | 'plugin'>) {
  const received: unknown[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'receiver',
    register(reg) {
      reg.registerInit({
        deps: { service: ref },
        async init({ service }) {
          received.push(service);
        },
      });
    },
  });
  return { plugin, received };
}

/**
 * A copy of `factory` that records every instance it makes. The runtime matches factories by
 * service id, so the copy stands for the original in `features`.
 */
function recording(factory: ServiceFactory) {
  const made: unknown[] = [];
  const real = factory as unknown as { factory(deps: unknown, context: unknown): Promise<unknown> };
  const copy = {
    ...factory,
    async factory(deps: unknown, context: unknown) {
      const instance = await real.factory(deps, context);
      made.push(instance);
      return instance;
    },
  } as unknown as ServiceFactory;
  return { factory: copy, made };
}

describe('mockServices in a test backend', () => {
  it.each(ENTRY_NAMES)(
    'should give a plugin the service of %s.factory()',
    async (name: EntryName) => {
      const { factory, made } = recording((mockServices[name] as any).factory());
      const { plugin, received } = receivingPlugin(refOf(name));

      const backend = await startTestBackend({ features: [plugin, factory] });
      await backend.stop();

      expect(received).toHaveLength(1);
      expect(made).toContain(received[0]);
    },
  );

  it.each(ENTRY_NAMES)(
    'should give a plugin the very mock of %s.mock().factory',
    async (name: EntryName) => {
      const mock = (mockServices[name] as any).mock();
      const { plugin, received } = receivingPlugin(refOf(name));

      const backend = await startTestBackend({ features: [plugin, mock.factory] });
      await backend.stop();

      expect(received).toHaveLength(1);
      expect(received[0]).toBe(mock);
    },
  );

  it('should run the hooks given to the lifecycle mocks and record them', async () => {
    const events: string[] = [];
    const lifecycle = mockServices.lifecycle.mock();
    const rootLifecycle = mockServices.rootLifecycle.mock();
    const plugin = createBackendPlugin({
      pluginId: 'hooks',
      register(reg) {
        reg.registerInit({
          deps: {
            lifecycle: coreServices.lifecycle,
            rootLifecycle: coreServices.rootLifecycle,
            httpRouter: coreServices.httpRouter,
          },
          async init({ lifecycle: plugin, rootLifecycle: root, httpRouter }) {
            plugin.addStartupHook(() => void events.push('plugin startup'));
            plugin.addShutdownHook(() => void events.push('plugin shutdown'));
            root.addStartupHook(() => void events.push('root startup'));
            root.addBeforeShutdownHook(() => void events.push('root before shutdown'));
            root.addShutdownHook(() => void events.push('root shutdown'));
            httpRouter.use((_req, res) => void res.json({ ok: true }));
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [plugin, lifecycle.factory, rootLifecycle.factory],
    });
    await request(backend.server)
      .get('/api/hooks/anything')
      .set('Authorization', mockCredentials.user.header())
      .expect(200, { ok: true });
    await backend.stop();

    expect(events).toEqual([
      'plugin startup',
      'root startup',
      'root before shutdown',
      'plugin shutdown',
      'root shutdown',
    ]);
    expect(lifecycle.addStartupHook).toHaveBeenCalled();
    expect(rootLifecycle.addBeforeShutdownHook).toHaveBeenCalled();
  });
});
