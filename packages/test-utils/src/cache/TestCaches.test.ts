import { createServer } from 'node:net';
import Redis from 'ioredis';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { startTestBackend } from '../backend/startTestBackend';
import { mockServices } from '../services/mockServices';
import { TestCaches } from './TestCaches';

/** A loopback port that was free a moment ago, so nothing accepts connections there. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('TestCaches', () => {
  const caches = TestCaches.create();

  it('should support memory and the local Redis', () => {
    expect(caches.eachSupportedId()).toEqual([['MEMORY'], ['REDIS_7']]);
  });

  it.each(caches.eachSupportedId())('should round-trip values on %s', async cacheId => {
    const { cache, store, config } = await caches.init(cacheId);
    expect(store).toBe(cacheId === 'MEMORY' ? 'memory' : 'redis');
    await cache.set('greeting', { text: 'hi' });
    await expect(cache.get('greeting')).resolves.toEqual({ text: 'hi' });
    await cache.delete('greeting');
    await expect(cache.get('greeting')).resolves.toBeUndefined();
    expect((config as any).backend.cache.store).toBe(store);
  });

  it('should keep namespaces apart and delete their keys on shutdown', async () => {
    const own = TestCaches.create({ ids: ['REDIS_7'] });
    const first = await own.init('REDIS_7');
    const second = await own.init('REDIS_7');
    await first.cache.set('k', 1);
    await expect(second.cache.get('k')).resolves.toBeUndefined();

    const redis = new Redis(first.connection!);
    try {
      expect((await redis.keys(`${first.namespace}*`)).length).toBeGreaterThan(0);
      await own.shutdown();
      expect(await redis.keys(`${first.namespace}*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('should skip an unreachable Redis with a notice, or fail when required', async () => {
    const reports: string[] = [];
    const env = { BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING: 'redis://127.0.0.1:1' };
    const lenient = TestCaches.create({ env, report: m => reports.push(m) });
    expect(lenient.eachSupportedId()).toEqual([['MEMORY']]);
    expect(reports).toEqual([
      "TestCaches: skipping 'REDIS_7': nothing accepts connections at redis://127.0.0.1:1. Start the server, set BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING, or set BACKPLANE_TEST_CACHES_REQUIRED=1 to fail instead of skipping.",
    ]);
    const strict = TestCaches.create({ env: { ...env, CI: 'true' } });
    await expect(strict.init('REDIS_7')).rejects.toThrow(
      "TestCaches: 'REDIS_7' is required (CI is set) but nothing accepts connections at redis://127.0.0.1:1; start the server or point BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING at one",
    );
  });

  it('should give config that puts a test backend on the same store and namespace', async () => {
    const { config, namespace, connection } = await caches.init('REDIS_7');
    const plugin = createBackendPlugin({
      pluginId: 'cached',
      register(reg) {
        reg.registerInit({
          deps: { cache: coreServices.cache },
          async init({ cache }) {
            await cache.set('written', 'by the plugin');
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [plugin, mockServices.rootConfig.factory({ data: config })],
    });
    await backend.stop();
    const redis = new Redis(connection!);
    try {
      expect(await redis.get(`${namespace}:cached:written`)).toBe('"by the plugin"');
    } finally {
      redis.disconnect();
    }
  });
});

describe('TestCaches when the environment demands every store', () => {
  it.each([
    ['CI', { CI: '1' }],
    ['BACKPLANE_TEST_CACHES_REQUIRED', { BACKPLANE_TEST_CACHES_REQUIRED: '1' }],
  ])(
    'should fail to create a REDIS_7 cache instead of skipping it when %s is set and Redis is unreachable',
    async (variable, demand) => {
      const port = await closedPort();
      const connection = `redis://127.0.0.1:${port}`;
      const reports: string[] = [];
      const caches = TestCaches.create({
        env: { ...demand, BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING: connection },
        report: message => reports.push(message),
      });

      expect(reports).toEqual([]);
      expect(caches.eachSupportedId()).toEqual([['MEMORY'], ['REDIS_7']]);
      await expect(caches.init('REDIS_7')).rejects.toThrow(
        `TestCaches: 'REDIS_7' is required (${variable} is set) but nothing accepts connections ` +
          `at ${connection}; start the server or point BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING at one`,
      );
      await expect(caches.init('MEMORY')).resolves.toMatchObject({ store: 'memory' });
    },
  );
});
