import { afterEach, describe, expect, it } from 'vitest';
import type { CacheService } from '@backplane/plugin-api';
import { findFreePort, RedisServerProcess } from './__fixtures__/RedisServerProcess';
import {
  shutdownCacheBackends,
  sleep,
  startCacheBackend,
  type TestCacheBackend,
} from './__fixtures__/testCaches';

const servers: RedisServerProcess[] = [];

afterEach(async () => {
  await shutdownCacheBackends();
  for (const server of servers.splice(0)) {
    server.resume();
    await server.kill();
  }
});

async function startServer(port?: number): Promise<RedisServerProcess> {
  const server = new RedisServerProcess(port ?? (await findFreePort()));
  servers.push(server);
  await server.start();
  return server;
}

/** Runs get, set and delete; returns the get result and the slowest call's duration. */
async function timedCalls(cache: CacheService, key: string) {
  let slowest = 0;
  const time = async <T>(call: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await call();
    slowest = Math.max(slowest, performance.now() - start);
    return result;
  };
  await time(() => cache.set(key, { at: Date.now() }));
  const value = await time(() => cache.get(key));
  await time(() => cache.delete(`${key}-other`));
  return { value, slowest };
}

/** Repeats set-then-get until it hits, up to `ms`; returns true on a hit. */
async function waitForHits(cache: CacheService, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await cache.set('probe', 'back');
    if ((await cache.get('probe')) === 'back') {
      return true;
    }
    await sleep(100);
  }
  return false;
}

function outageLogs(backend: TestCacheBackend) {
  return {
    unavailable: backend.logger.messages.filter(
      m => m.level === 'error' && m.message.includes('is unavailable'),
    ).length,
    recovered: backend.logger.messages.filter(
      m => m.level === 'info' && m.message.startsWith('Cache store recovered'),
    ).length,
  };
}

describe('RedisCacheStore', () => {
  it('should answer misses promptly while Redis is down and hits again after it restarts', async () => {
    const server = await startServer();
    const backend = await startCacheBackend({ store: 'redis', connection: server.url });
    const cache = await backend.forPlugin('catalog');
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');

    await server.kill();
    for (let round = 0; round < 10; round++) {
      const { value, slowest } = await timedCalls(cache, `k${round}`);
      expect(value).toBeUndefined();
      expect(slowest).toBeLessThan(1000);
    }
    await sleep(500);
    expect(await cache.get('k')).toBeUndefined();
    expect(outageLogs(backend)).toEqual({ unavailable: 1, recovered: 0 });

    await startServer(server.port);
    expect(await waitForHits(cache, 10_000)).toBe(true);
    expect(outageLogs(backend)).toEqual({ unavailable: 1, recovered: 1 });
  });

  it('should answer misses promptly when Redis is down at startup, then connect when it comes up', async () => {
    const port = await findFreePort();
    const backend = await startCacheBackend({
      store: 'redis',
      connection: `redis://127.0.0.1:${port}`,
    });
    const cache = await backend.forPlugin('catalog');

    for (let round = 0; round < 5; round++) {
      const { value, slowest } = await timedCalls(cache, `k${round}`);
      expect(value).toBeUndefined();
      expect(slowest).toBeLessThan(1000);
    }
    expect(outageLogs(backend).unavailable).toBe(1);

    await startServer(port);
    expect(await waitForHits(cache, 10_000)).toBe(true);
    expect(outageLogs(backend)).toEqual({ unavailable: 1, recovered: 1 });
  });

  it('should bound every call when Redis stops answering', async () => {
    const server = await startServer();
    const backend = await startCacheBackend({
      store: 'redis',
      connection: server.url,
      redis: { commandTimeout: 300 },
    });
    const cache = await backend.forPlugin('catalog');
    await cache.set('k', 'v');

    server.pause();
    const start = performance.now();
    for (let round = 0; round < 3; round++) {
      const { value, slowest } = await timedCalls(cache, 'k');
      expect(value).toBeUndefined();
      expect(slowest).toBeLessThan(1000);
    }
    // After the first timeouts the store stops waiting: nine calls take far less than 9 x 300 ms.
    expect(performance.now() - start).toBeLessThan(1500);
    expect(outageLogs(backend).unavailable).toBe(1);

    server.resume();
    expect(await waitForHits(cache, 10_000)).toBe(true);
    expect(outageLogs(backend).recovered).toBe(1);
  });

  it('should close its connection when the root lifecycle shuts down', async () => {
    const server = await startServer();
    const backend = await startCacheBackend({ store: 'redis', connection: server.url });
    const cache = await backend.forPlugin('catalog');
    await cache.set('k', 'v');

    await backend.shutdown();
    await server.kill();
    await sleep(300);

    expect(outageLogs(backend).unavailable).toBe(0);
    expect(await cache.get('k')).toBeUndefined();
  });
});
