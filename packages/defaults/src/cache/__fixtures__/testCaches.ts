import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { CacheService, JsonObject } from '@backplane/plugin-api';
import { ConfigReader } from '../../rootConfig';
import {
  createTestLogger,
  createTestRootLifecycle,
  type PluginFactoryInternals,
  type TestLogger,
} from '../../database/__fixtures__/testServices';
import { cacheServiceFactory } from '../cacheServiceFactory';
import type { CacheManager } from '../CacheManager';

export const redisUrl = 'redis://127.0.0.1:6379';

/** A namespace unique to this test run, so that keys of parallel runs never meet. */
export const runNamespace = `bpt-${randomBytes(3).toString('hex')}`;

let counter = 0;

/** A fresh Redis namespace for one test, inside the run's namespace. */
export function nextNamespace(): string {
  counter += 1;
  return `${runNamespace}-${counter}`;
}

/** A cache store the contract suite runs against. */
export interface TestStore {
  name: string;
  /** The `backend.cache` block for the store; each call gets a fresh Redis namespace. */
  config(extra?: JsonObject): JsonObject;
}

export const testStores: TestStore[] = [
  { name: 'memory', config: extra => ({ store: 'memory', ...extra }) },
  {
    name: 'redis',
    config: extra => ({
      store: 'redis',
      connection: redisUrl,
      redis: { client: { namespace: nextNamespace() } },
      ...extra,
    }),
  },
];

/** A backend's worth of cache services, built by calling the factory like the runtime does. */
export interface TestCacheBackend {
  forPlugin(pluginId: string): Promise<CacheService>;
  shutdown(): Promise<void>;
  logger: TestLogger;
}

const started: TestCacheBackend[] = [];

/** Calls `createRootContext` once, then `factory` per plugin, with hand-made dependencies. */
export async function startCacheBackend(cache: JsonObject | undefined): Promise<TestCacheBackend> {
  const config = new ConfigReader(cache ? { backend: { cache } } : {});
  const rootLifecycle = createTestRootLifecycle();
  const logger = createTestLogger();
  const factory = cacheServiceFactory as unknown as PluginFactoryInternals<
    CacheService,
    CacheManager
  >;
  const rootDeps = { config, rootLifecycle, rootLogger: logger };
  const context = await factory.createRootContext(rootDeps);
  const backend: TestCacheBackend = {
    logger,
    forPlugin: pluginId =>
      factory.factory({ ...rootDeps, pluginMetadata: { getId: () => pluginId } }, context),
    shutdown: () => rootLifecycle.shutdown(),
  };
  started.push(backend);
  return backend;
}

/** Shuts down every backend a test started. */
export async function shutdownCacheBackends(): Promise<void> {
  await Promise.all(started.splice(0).map(backend => backend.shutdown()));
}

/** Deletes every key this run wrote to the shared Redis. */
export async function deleteRunKeys(): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${runNamespace}*`, 'COUNT', 500);
      if (keys.length > 0) {
        await redis.del(...keys);
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
