import Redis from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigReader } from '../rootConfig';
import { CacheManager } from './CacheManager';
import {
  deleteRunKeys,
  nextNamespace,
  redisUrl,
  runNamespace,
  shutdownCacheBackends,
  startCacheBackend,
} from './__fixtures__/testCaches';

afterEach(shutdownCacheBackends);
afterAll(deleteRunKeys);

function managerFor(cache: Record<string, unknown>) {
  return CacheManager.fromConfig(new ConfigReader({ backend: { cache } } as never));
}

describe('CacheManager', () => {
  describe('with the memory store', () => {
    it('should be the store when backend.cache is absent', async () => {
      const backend = await startCacheBackend(undefined);
      const cache = await backend.forPlugin('catalog');

      await cache.set('k', 'v');
      expect(await cache.get('k')).toBe('v');
    });

    it("should evict the least recently used entries beyond 'memory.maxEntries'", async () => {
      const backend = await startCacheBackend({ store: 'memory', memory: { maxEntries: 3 } });
      const cache = await backend.forPlugin('catalog');

      await cache.set('a', 1);
      await cache.set('b', 2);
      await cache.set('c', 3);
      expect(await cache.get('a')).toBe(1);
      await cache.set('d', 4);

      expect(await cache.get('b')).toBeUndefined();
      expect([await cache.get('a'), await cache.get('c'), await cache.get('d')]).toEqual([1, 3, 4]);
    });

    it('should bound each plugin on its own, so one plugin cannot evict the entries of another', async () => {
      const backend = await startCacheBackend({ store: 'memory', memory: { maxEntries: 2 } });
      const catalog = await backend.forPlugin('catalog');
      const search = await backend.forPlugin('search');

      await search.set('kept', true);
      for (let i = 0; i < 10; i++) {
        await catalog.set(`k${i}`, i);
      }

      expect(await search.get('kept')).toBe(true);
    });
  });

  describe('with the redis store', () => {
    it("should store keys as '<namespace><separator><pluginId><separator><key>' with their ttl", async () => {
      const namespace = nextNamespace();
      const backend = await startCacheBackend({
        store: 'redis',
        connection: redisUrl,
        redis: { client: { namespace, keyPrefixSeparator: '::' } },
      });
      const cache = await backend.forPlugin('catalog');
      await cache.set('with ttl', { a: 1 }, { ttl: { minutes: 1 } });
      await cache.set('forever', 'x');

      const redis = new Redis(redisUrl);
      try {
        expect((await redis.keys(`${namespace}::*`)).sort()).toEqual([
          `${namespace}::catalog::forever`,
          `${namespace}::catalog::with ttl`,
        ]);
        expect(await redis.get(`${namespace}::catalog::with ttl`)).toBe('{"a":1}');
        const ttl = await redis.pttl(`${namespace}::catalog::with ttl`);
        expect(ttl).toBeGreaterThan(50_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
        expect(await redis.pttl(`${namespace}::catalog::forever`)).toBe(-1);
      } finally {
        redis.disconnect();
      }
    });

    it("should prefix keys with '<pluginId>:' when no namespace is set", async () => {
      const pluginId = `${runNamespace}-plugin`;
      const backend = await startCacheBackend({ store: 'redis', connection: redisUrl });
      const cache = await backend.forPlugin(pluginId);
      await cache.set('k', 1);

      const redis = new Redis(redisUrl);
      try {
        expect(await redis.get(`${pluginId}:k`)).toBe('1');
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('config errors', () => {
    it("should name 'backend.cache.store' and the valid values for an unknown store", () => {
      expect(() => managerFor({ store: 'memcache' })).toThrow(
        "Unsupported cache store 'memcache' in 'backend.cache.store': use one of 'memory', 'redis'.",
      );
      expect(() => managerFor({ store: 'valkey' })).toThrow(
        "Unsupported cache store 'valkey' in 'backend.cache.store': use one of 'memory', " +
          "'redis'. Valkey speaks the Redis protocol: set 'redis' and point " +
          "'backend.cache.connection' at the Valkey server.",
      );
    });

    it('should ask for a connection for the redis store', () => {
      expect(() => managerFor({ store: 'redis' })).toThrow(
        "Missing 'backend.cache.connection' for cache store 'redis': set it to a URL such as " +
          "'redis://localhost:6379'.",
      );
    });

    it('should ask for a redis:// URL as the connection', () => {
      expect(() => managerFor({ store: 'redis', connection: 'localhost:6379' })).toThrow(
        "Invalid 'backend.cache.connection' for cache store 'redis': use a URL such as " +
          "'redis://localhost:6379' or 'rediss://user:password@host:6380' for TLS.",
      );
    });

    it("should refuse a 'redis.commandTimeout' of zero, which would not bound calls", () => {
      expect(() =>
        managerFor({ store: 'redis', connection: redisUrl, redis: { commandTimeout: 0 } }),
      ).toThrow("Invalid 'backend.cache.redis.commandTimeout' value 0: give milliseconds");
    });

    it("should refuse an invalid 'backend.cache.defaultTtl'", () => {
      expect(() => managerFor({ defaultTtl: 'soon' })).toThrow(
        'Invalid \'backend.cache.defaultTtl\' value "soon": give milliseconds as a number, a ' +
          "duration object such as { minutes: 5 }, or an ISO 8601 duration such as 'PT5M'.",
      );
    });

    it("should accept 'backend.cache.defaultTtl' as an ISO 8601 duration", async () => {
      const manager = managerFor({ defaultTtl: 'PT0.1S' });
      const cache = manager.forPlugin('catalog');

      await cache.set('k', 'v');
      await new Promise(resolve => setTimeout(resolve, 250));
      expect(await cache.get('k')).toBeUndefined();
    });

    it("should refuse an invalid 'backend.cache.memory.maxEntries'", () => {
      expect(() => managerFor({ memory: { maxEntries: 0 } })).toThrow(
        "Invalid 'backend.cache.memory.maxEntries' value 0: give a whole number of 1 or more.",
      );
    });

    it('should refuse a Redis cluster, which Backplane does not support', () => {
      expect(() =>
        managerFor({
          store: 'redis',
          connection: redisUrl,
          redis: { cluster: { rootNodes: [{ url: redisUrl }] } },
        }),
      ).toThrow(
        "'backend.cache.redis.cluster' is not supported by Backplane: remove it and give a " +
          "single Redis endpoint in 'backend.cache.connection'.",
      );
    });

    it("should warn that 'backend.cache.useRedisSets' has no effect", async () => {
      const backend = await startCacheBackend({ store: 'memory', useRedisSets: true });

      expect(backend.logger.messages).toContainEqual({
        level: 'warn',
        message:
          "The 'backend.cache.useRedisSets' config key has no effect; remove it from your config.",
        meta: undefined,
      });
    });
  });
});
