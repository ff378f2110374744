// One test file, three runners: `node --test`, Vitest and Jest all run it unchanged.
// It uses the built package (`npx tsc -b packages/test-utils` first) and node:assert only.
// Deep comparisons use the loose `assert.deepEqual`: under Jest, objects made outside the test's
// sandbox (jest.fn records, fetch results) have another Object.prototype, which
// `assert.deepStrictEqual` reports as a difference.
const assert = require('node:assert');
const express = require('express');
const { coreServices, createBackendPlugin } = require('@backplane/plugin-api');
const { InputError } = require('@backplane/plugin-api');
const {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
  TestCaches,
  TestDatabases,
} = require('@backplane/test-utils');
const { actionsRegistryServiceMock, metricsServiceMock } = require('@backplane/test-utils/alpha');

// Jest and Vitest (globals on) provide describe/it as globals; node:test as a module.
const { describe, it } =
  typeof globalThis.describe === 'function' ? globalThis : require('node:test');

const examplePlugin = createBackendPlugin({
  pluginId: 'example',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
      },
      async init({ httpRouter, httpAuth, logger }) {
        const router = express.Router();
        router.get('/health', (_req, res) => res.json({ status: 'ok' }));
        router.get('/items', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user'] });
            logger.info('Items listed', { user: credentials.principal.userEntityRef });
            res.json({ items: [] });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

describe('runner compatibility', () => {
  it('should record calls on mock services', () => {
    const logger = mockServices.logger.mock();
    logger.info('hello', { a: 1 });
    assert.deepEqual(logger.info.mock.calls, [['hello', { a: 1 }]]);
    assert.strictEqual(logger.child({ plugin: 'x' }), logger);
  });

  it('should use partial implementations of .mock()', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests => requests.map(() => ({ result: 'DENY' })),
    });
    const credentials = mockCredentials.user();
    const result = await permissions.authorize([{ permission: { name: 'x' } }], { credentials });
    assert.deepEqual(result, [{ result: 'DENY' }]);
    assert.strictEqual(permissions.authorize.mock.calls.length, 1);
    assert.strictEqual(permissions.authorizeConditional.mock.calls.length, 0);
  });

  it('should give callable mocks', async () => {
    const config = mockServices.rootConfig({ data: { a: { b: 1 } } });
    assert.strictEqual(config.getNumber('a.b'), 1);
    config.update({ data: { a: { b: 2 } } });
    assert.strictEqual(config.getNumber('a.b'), 2);
    const auth = mockServices.auth({ pluginId: 'example' });
    const credentials = await auth.authenticate(mockCredentials.user.token('user:default/alice'));
    assert.deepEqual(credentials.principal, { type: 'user', userEntityRef: 'user:default/alice' });
  });

  it('should serve open and protected routes through startTestBackend', async () => {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({ features: [examplePlugin, logger.factory] });
    const base = `http://127.0.0.1:${backend.server.address().port}/api/example`;

    assert.strictEqual((await fetch(`${base}/health`)).status, 200);
    const denied = await fetch(`${base}/items`, {
      headers: { authorization: mockCredentials.none.header() },
    });
    assert.strictEqual(denied.status, 401);
    assert.strictEqual((await denied.json()).error.message, 'Missing credentials');
    const allowed = await fetch(`${base}/items`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    assert.strictEqual(allowed.status, 200);
    assert.deepEqual(await allowed.json(), { items: [] });
    assert.deepEqual(logger.info.mock.calls.at(-1), [
      'Items listed',
      { user: 'user:default/mock' },
    ]);
    // No stop(): the backend must be stopped by the runner hook so that the process exits.
  });

  // node:test has no it.each, so loop over the ids; Jest and Vitest accept this form too.
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] });
  for (const [databaseId] of databases.eachSupportedId()) {
    it(`should round-trip rows on ${databaseId}`, async () => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('items', table => {
        table.increments('id');
        table.string('title');
      });
      await knex('items').insert({ title: 'one' });
      const rows = await knex('items').select('title');
      assert.deepEqual(
        rows.map(row => row.title),
        ['one'],
      );
    });
  }

  const caches = TestCaches.create();
  for (const [cacheId] of caches.eachSupportedId()) {
    it(`should round-trip values on ${cacheId}`, async () => {
      const { cache } = await caches.init(cacheId);
      await cache.set('greeting', { text: 'hi' });
      assert.deepEqual(await cache.get('greeting'), { text: 'hi' });
    });
  }

  it('should load the alpha mocks from @backplane/test-utils/alpha', async () => {
    const registry = actionsRegistryServiceMock();
    registry.register({
      name: 'echo',
      title: 'Echo',
      description: 'Returns its input',
      schema: {
        input: z => z.object({ text: z.string() }),
        output: z => z.object({ text: z.string() }),
      },
      action: async ({ input }) => ({ output: input }),
    });
    assert.deepEqual(await registry.invoke({ id: 'test:echo', input: { text: 'hi' } }), {
      output: { text: 'hi' },
    });
    const metrics = metricsServiceMock.mock();
    metrics.createCounter('n').add(1);
    assert.strictEqual(metrics.createCounter.mock.calls.length, 1);
  });

  it('should answer thrown errors with the standard body through mockErrorHandler', async () => {
    const app = express();
    app.get('/fail', () => {
      throw new InputError('bad');
    });
    app.use(mockErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${server.address().port}/fail`);
      assert.strictEqual(response.status, 400);
      assert.deepEqual(await response.json(), {
        error: { name: 'InputError', message: 'bad' },
        request: { method: 'GET', url: '/fail' },
        response: { statusCode: 400 },
      });
    } finally {
      server.close();
    }
  });

  // A stand-in for msw's setupServer(), recording what the runner's hooks call.
  describe('registerMswTestHooks', () => {
    const calls = [];
    registerMswTestHooks({
      listen: options => calls.push(['listen', options]),
      resetHandlers: () => calls.push(['resetHandlers']),
      close: () => calls.push(['close']),
    });

    it('should listen before the tests, failing on unhandled requests', () => {
      assert.deepEqual(calls, [['listen', { onUnhandledRequest: 'error' }]]);
    });

    it('should reset the handlers after each test', () => {
      assert.deepEqual(calls, [['listen', { onUnhandledRequest: 'error' }], ['resetHandlers']]);
    });
  });
});
