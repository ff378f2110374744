import express from 'express';
import request from 'supertest';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { mockCredentials } from '../credentials/mockCredentials';
import { mockServices } from '../services/mockServices';
import { startTestBackend } from './startTestBackend';

const examplePlugin = createBackendPlugin({
  pluginId: 'example',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        discovery: coreServices.discovery,
        database: coreServices.database,
        config: coreServices.rootConfig,
      },
      async init({ httpRouter, httpAuth, discovery, database, config }) {
        const knex = await database.getClient();
        await knex.schema.createTable('notes', table => {
          table.increments('id');
          table.string('text');
        });
        const router = express.Router();
        router.get('/health', (_req, res) => {
          res.json({ status: 'ok' });
        });
        router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
            res.json(credentials.principal);
          } catch (error) {
            next(error);
          }
        });
        router.post('/notes', express.json(), async (req, res) => {
          await knex('notes').insert({ text: req.body.text });
          res.json(await knex('notes').select('text'));
        });
        router.get('/where', async (_req, res) => {
          res.json({
            baseUrl: await discovery.getBaseUrl('example'),
            greeting: config.getOptionalString('example.greeting') ?? null,
          });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

describe('startTestBackend', () => {
  it('should serve an open route to requests without credentials', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });
    await request(server).get('/api/example/health').expect(200, { status: 'ok' });
  });

  it('should answer 401 on a protected route without credentials and 200 with them', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });

    const denied = await request(server)
      .get('/api/example/whoami')
      .set('Authorization', mockCredentials.none.header());
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
      request: { method: 'GET', url: '/whoami' },
      response: { statusCode: 401 },
    });

    await request(server)
      .get('/api/example/whoami')
      .set('Authorization', mockCredentials.user.header())
      .expect(200, { type: 'user', userEntityRef: 'user:default/mock' });
    // As in @backstage/backend-test-utils, a bare request counts as the default mock user.
    await request(server)
      .get('/api/example/whoami')
      .expect(200, { type: 'user', userEntityRef: 'user:default/mock' });
    await request(server)
      .get('/api/example/whoami')
      .set('Authorization', mockCredentials.service.header())
      .expect(200, { type: 'service', subject: 'external:test-service' });
  });

  it('should reject invalid mock tokens with 401', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });
    const response = await request(server)
      .get('/api/example/whoami')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      name: 'AuthenticationError',
      message: 'User token is invalid',
    });
  });

  it('should give each plugin a working database and discovery on the bound port', async () => {
    const { server } = await startTestBackend({
      features: [
        examplePlugin,
        mockServices.rootConfig.factory({ data: { example: { greeting: 'hi' } } }),
      ],
    });
    const auth = mockCredentials.user.header();
    await request(server)
      .post('/api/example/notes')
      .set('Authorization', auth)
      .send({ text: 'one' })
      .expect(200, [{ text: 'one' }]);

    const { port } = server.address() as { port: number };
    const where = await request(server).get('/api/example/where').set('Authorization', auth);
    expect(where.body).toEqual({ baseUrl: `http://127.0.0.1:${port}/api/example`, greeting: 'hi' });
    const viaDiscovery = await fetch(`${where.body.baseUrl}/health`);
    expect(await viaDiscovery.json()).toEqual({ status: 'ok' });
  });

  it('should accept promises and default exports', async () => {
    const { server } = await startTestBackend({
      features: [Promise.resolve({ default: examplePlugin })],
    });
    await request(server).get('/api/example/health').expect(200);
  });

  it('should release the port when stopped', async () => {
    const backend = await startTestBackend({ features: [examplePlugin] });
    const server = backend.server;
    expect(server.listening).toBe(true);
    await backend.stop();
    expect(server.listening).toBe(false);
  });

  it('should synthesize the plugin of a module and register given extension points', async () => {
    const greetingsExtensionPoint = createExtensionPoint<{ add(greeting: string): void }>({
      id: 'greetings.sink',
    });
    const added: string[] = [];
    const module = createBackendModule({
      pluginId: 'greetings',
      moduleId: 'hello',
      register(reg) {
        reg.registerInit({
          deps: { sink: greetingsExtensionPoint },
          async init({ sink }) {
            sink.add('hello');
          },
        });
      },
    });
    await startTestBackend({
      features: [module],
      extensionPoints: [[greetingsExtensionPoint, { add: (g: string) => void added.push(g) }]],
    });
    expect(added).toEqual(['hello']);
  });

  it('should refuse extension points no module uses', async () => {
    const unused = createExtensionPoint<unknown>({ id: 'nobody.uses' });
    await expect(
      startTestBackend({ features: [examplePlugin], extensionPoints: [[unused, {}]] }),
    ).rejects.toThrow(
      "startTestBackend: no module among the features uses the extension point(s) 'nobody.uses' given in 'extensionPoints'; add the module that depends on it, or remove the entry",
    );
  });

  it('should say what to pass instead of instances, mocks, refs and uncalled functions', async () => {
    await expect(
      startTestBackend({
        features: [
          mockServices.rootConfig({ data: {} }) as any,
          mockServices.logger.mock() as any,
          mockServices.rootConfig.factory as any,
          coreServices.cache as any,
          { getThing: () => 1 } as any,
          undefined as any,
        ],
      }),
    ).rejects.toThrow(
      'startTestBackend: features[0] is a rootConfig service instance (from mockServices.rootConfig()), not a feature; pass a factory instead: mockServices.rootConfig.factory(…); ' +
        "features[1] is a service mock of 'core.logger' (from .mock()), not a feature; pass its factory: `mockServices.<service>.mock({ … }).factory`; " +
        "features[2] is a function named 'rootConfigFactory', not a feature; if it creates one, call it and pass the result (for example `mockServices.rootConfig.factory()`, not `mockServices.rootConfig.factory`); " +
        "features[3] is the service ref 'core.cache', not a service factory; pass a factory for it, such as mockServices.<service>.factory() or createServiceFactory({ service: ref, deps: {}, factory }); " +
        "features[4] looks like a service instance (an object with methods 'getThing'), not a feature; pass a service factory instead: `mockServices.<service>.factory(…)`, `mockServices.<service>.mock({ … }).factory`, or createServiceFactory({ service: ref, deps: {}, factory: () => instance }); " +
        'features[5] is undefined; check that the module exports the feature (a default export, or import the named export)',
    );
  });

  it('should let a service mock replace a default', async () => {
    const thingRef = createServiceRef<{ get(): string }>({ id: 'test.thing' });
    const seen: string[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'consumer',
      register(reg) {
        reg.registerInit({
          deps: { thing: thingRef, logger: coreServices.logger },
          async init({ thing, logger }) {
            seen.push(thing.get());
            logger.info('started');
          },
        });
      },
    });
    const logger = mockServices.logger.mock();
    await startTestBackend({
      features: [
        plugin,
        createServiceFactory({ service: thingRef, deps: {}, factory: () => ({ get: () => 'x' }) }),
        logger.factory,
      ],
    });
    expect(seen).toEqual(['x']);
    expect(logger.info).toHaveBeenCalledWith('started');
  });

  it('should use a core.rootInstanceMetadata factory from the features instead of the synthesized one', async () => {
    const seen: unknown[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'inspector',
      register(reg) {
        reg.registerInit({
          deps: { metadata: coreServices.rootInstanceMetadata },
          async init({ metadata }) {
            seen.push(metadata.getId(), await metadata.getInstalledPlugins());
          },
        });
      },
    });
    const plugins = [{ pluginId: 'catalog', modules: [] }];

    await startTestBackend({
      features: [plugin, mockServices.rootInstanceMetadata.factory({ instanceId: 'i-1', plugins })],
    });

    expect(seen).toEqual(['i-1', plugins]);
  });

  it('should refuse two core.rootInstanceMetadata factories in the features', async () => {
    await expect(
      startTestBackend({
        features: [
          mockServices.rootInstanceMetadata.factory(),
          examplePlugin,
          mockServices.rootInstanceMetadata.mock().factory,
        ],
      }),
    ).rejects.toThrow(
      "startTestBackend: features[0], features[2] all provide 'core.rootInstanceMetadata'; keep one of them",
    );
  });

  it('should host a plugin built with @backstage/backend-plugin-api', async () => {
    const backstage = await import('@backstage/backend-plugin-api');
    const plugin = backstage.createBackendPlugin({
      pluginId: 'official',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: backstage.coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.get('/ping', (_req, res) => {
              res.json({ pong: true });
            });
            httpRouter.use(router);
          },
        });
      },
    });
    const { server } = await startTestBackend({ features: [plugin] });
    await request(server)
      .get('/api/official/ping')
      .set('Authorization', mockCredentials.none.header())
      .expect(401);
    await request(server)
      .get('/api/official/ping')
      .set('Authorization', mockCredentials.service.header())
      .expect(200, { pong: true });
  });
});
