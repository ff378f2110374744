import { coreServices, createServiceFactory, createServiceRef } from '@backplane/plugin-api';
import { mockServices } from '../services/mockServices';
import { ServiceFactoryTester } from './ServiceFactoryTester';

const greeterRef = createServiceRef<{ greet(): string }>({ id: 'test.greeter' });
const greeterFactory = createServiceFactory({
  service: greeterRef,
  deps: { config: coreServices.rootConfig, pluginMetadata: coreServices.pluginMetadata },
  createRootContext: ({ config }) => ({
    greeting: config.getOptionalString('greeting') ?? 'hello',
  }),
  factory: ({ pluginMetadata }, context) => ({
    greet: () => `${context.greeting} from ${pluginMetadata.getId()}`,
  }),
});

describe('ServiceFactoryTester', () => {
  it('should build the subject for a plugin id with chosen dependencies', async () => {
    const tester = ServiceFactoryTester.from(greeterFactory, {
      dependencies: [mockServices.rootConfig.factory({ data: { greeting: 'hi' } })],
    });
    expect((await tester.getSubject()).greet()).toBe('hi from test');
    expect((await tester.getSubject('catalog')).greet()).toBe('hi from catalog');
    expect(await tester.getSubject('catalog')).toBe(await tester.getSubject('catalog'));
  });

  it('should provide the test defaults for other services', async () => {
    const tester = ServiceFactoryTester.from(greeterFactory);
    const config = await tester.getService(coreServices.rootConfig);
    expect(config.keys()).toEqual([]);
    const discovery = await tester.getService(coreServices.discovery, 'catalog');
    await expect(discovery.getBaseUrl('catalog')).resolves.toBe('http://localhost:0/api/catalog');
    const database = await tester.getService(coreServices.database, 'catalog');
    const knex = await database.getClient();
    await expect(knex.raw('select 1 as one')).resolves.toEqual([{ one: 1 }]);
    await tester.dispose();
  });

  it('should name a missing dependency and what needs it', async () => {
    const missingRef = createServiceRef<string>({ id: 'test.missing' });
    const needy = createServiceFactory({
      service: greeterRef,
      deps: { missing: missingRef },
      factory: ({ missing }) => ({ greet: () => missing }),
    });
    await expect(ServiceFactoryTester.from(needy).getSubject()).rejects.toThrow(
      "ServiceFactoryTester: no factory provides 'test.missing', needed by 'test.greeter'; pass one in the 'dependencies' option",
    );
  });

  it('should refuse a subject that is not a factory', () => {
    expect(() => ServiceFactoryTester.from(mockServices.rootConfig.mock() as any)).toThrow(
      'ServiceFactoryTester.from: the subject is not a service factory; pass the result of createServiceFactory (for a mock, pass its .factory)',
    );
  });

  it('should start a root HTTP router on a free loopback port and stop it on dispose', async () => {
    const tester = ServiceFactoryTester.from(mockServices.rootHttpRouter.factory());
    const router = (await tester.getSubject()) as unknown as { server: import('node:http').Server };
    const address = router.server.address() as { address: string; port: number };
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).not.toBe(7007);
    await tester.dispose();
    expect(router.server.listening).toBe(false);
  });
});
