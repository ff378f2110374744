import { coreServices } from '@backplane/plugin-api';
import type { CacheService, JsonObject } from '@backplane/plugin-api';
import { cacheServiceFactory } from '@backplane/defaults/cache';
import Redis from 'ioredis';
import { isFlagSet } from '../database/testDatabaseEngines';
import { TestServiceRegistry } from '../factoryTester/TestServiceRegistry';
import { mockServices } from '../services/mockServices';
import { rootConfigFactory, rootLoggerFactory } from '../services/mockServiceFactories';
import { probeTcpSync } from '../util/probeTcpSync';
import { registerCleanup } from '../util/registerTestHook';
import { uniqueName } from '../util/uniqueName';

/** A cache store to test against. */
export type TestCacheId = 'MEMORY' | 'REDIS_7';

/** What {@link TestCaches.init} hands out. */
export interface TestCacheInstance {
  /** The `backend.cache.store` value. */
  store: 'memory' | 'redis';
  /** The connection string, for Redis. */
  connection: string | undefined;
  /** The key prefix (Redis namespace) of this instance, unique per call. */
  namespace: string;
  /** A CacheService on this store, as the default cache factory makes it for plugin `test`. */
  cache: CacheService;
  /** Config data that points a backend at the same store and namespace. */
  config: JsonObject;
}

/** Options for {@link TestCaches.create}. */
export interface TestCachesOptions {
  /** The stores to test against; default `MEMORY` and `REDIS_7`. */
  ids?: TestCacheId[];
  /** Environment to read connection strings and requirements from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where skip notices go; default standard error. */
  report?(message: string): void;
}

interface StoreInfo {
  id: TestCacheId;
  connection?: string;
  envVar: string;
  reachable: boolean;
  required: boolean;
  /** The environment variable that makes the store required, if any. */
  demandedBy?: string;
}

const DEFAULT_IDS: TestCacheId[] = ['MEMORY', 'REDIS_7'];
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/**
 * Fresh cache namespaces on every store a plugin supports, for `it.each`, like
 * {@link TestDatabases}. Redis comes from `BACKPLANE_TEST_CACHE_REDIS_7_CONNECTION_STRING`
 * (default `redis://127.0.0.1:6379`); an unreachable Redis is skipped with a notice unless
 * `BACKPLANE_TEST_CACHES_REQUIRED` or `CI` is set. `shutdown()` deletes the keys of every
 * namespace handed out and closes the connections; it runs by itself after the test file.
 */
export class TestCaches {
  readonly #stores: Map<TestCacheId, StoreInfo>;
  readonly #registries: TestServiceRegistry[] = [];
  readonly #namespaces: Array<{ connection: string; namespace: string }> = [];

  /** Creates the set and registers its shutdown after the current test file or suite. */
  static create(options: TestCachesOptions = {}): TestCaches {
    const caches = new TestCaches(options);
    registerCleanup(() => caches.shutdown());
    return caches;
  }

  private constructor(options: TestCachesOptions) {
    const env = options.env ?? process.env;
    const report = options.report ?? ((message: string) => process.stderr.write(`${message}\n`));
    const demandedBy = isFlagSet(env.BACKPLANE_TEST_CACHES_REQUIRED)
      ? 'BACKPLANE_TEST_CACHES_REQUIRED'
      : isFlagSet(env.CI)
        ? 'CI'
        : undefined;
    const required = demandedBy !== undefined;
    const stores = (options.ids ?? DEFAULT_IDS).map((id): Omit<StoreInfo, 'reachable'> => {
      if (id === 'MEMORY') {
        return { id, envVar: '', required: false };
      }
      if (id !== 'REDIS_7') {
        throw new TypeError(
          `TestCaches: unknown cache id '${String(id)}'; use 'MEMORY' or 'REDIS_7'`,
        );
      }
      const envVar = `BACKPLANE_TEST_CACHE_${id}_CONNECTION_STRING`;
      return { id, envVar, required, demandedBy, connection: env[envVar] ?? DEFAULT_REDIS };
    });

    const servers = stores.filter(store => store.connection);
    const open = probeTcpSync(
      servers.map(store => {
        const url = new URL(store.connection!);
        return { host: url.hostname, port: Number(url.port) || 6379 };
      }),
    );
    this.#stores = new Map(
      stores.map(store => {
        const reachable = !store.connection || open[servers.indexOf(store)];
        if (!reachable && !store.required) {
          report(
            `TestCaches: skipping '${store.id}': nothing accepts connections at ${store.connection}. ` +
              `Start the server, set ${store.envVar}, or set BACKPLANE_TEST_CACHES_REQUIRED=1 ` +
              `to fail instead of skipping.`,
          );
        }
        return [store.id, { ...store, reachable }];
      }),
    );
  }

  /** True when `id` was asked for and its server can be used (or is required). */
  supports(id: TestCacheId): boolean {
    const store = this.#stores.get(id);
    return Boolean(store && (store.reachable || store.required));
  }

  /** The usable ids, each wrapped in an array, as `it.each` wants them. */
  eachSupportedId(): Array<[TestCacheId]> {
    return [...this.#stores.keys()].filter(id => this.supports(id)).map(id => [id]);
  }

  /** A cache under a fresh namespace on the store, with the config that selects it. */
  async init(id: TestCacheId): Promise<TestCacheInstance> {
    const store = this.#stores.get(id);
    if (!store) {
      const known = [...this.#stores.keys()].join("', '");
      throw new Error(
        `TestCaches: '${id}' was not among the ids given to TestCaches.create ('${known}'); add it there`,
      );
    }
    if (!store.reachable) {
      throw new Error(
        `TestCaches: '${id}' is required (${store.demandedBy} is set) but nothing accepts ` +
          `connections at ${store.connection}; start the server or point ${store.envVar} at one`,
      );
    }

    const namespace = uniqueName('backplane_test');
    const cacheConfig: JsonObject =
      id === 'MEMORY'
        ? { store: 'memory' }
        : { store: 'redis', connection: store.connection!, redis: { client: { namespace } } };
    const config: JsonObject = { backend: { cache: cacheConfig } };

    const registry = new TestServiceRegistry([
      rootConfigFactory({ data: config }),
      rootLoggerFactory(),
      mockServices.rootLifecycle.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      cacheServiceFactory,
    ]);
    this.#registries.push(registry);
    if (store.connection) {
      this.#namespaces.push({ connection: store.connection, namespace });
    }
    const cache = await registry.get(coreServices.cache, 'test');
    return {
      store: id === 'MEMORY' ? 'memory' : 'redis',
      connection: store.connection,
      namespace,
      cache,
      config,
    };
  }

  /** Deletes every key under the namespaces handed out and closes the connections. */
  async shutdown(): Promise<void> {
    const registries = this.#registries.splice(0);
    await Promise.allSettled(registries.map(registry => registry.shutdown()));

    const byConnection = new Map<string, string[]>();
    for (const { connection, namespace } of this.#namespaces.splice(0)) {
      byConnection.set(connection, [...(byConnection.get(connection) ?? []), namespace]);
    }
    for (const [connection, namespaces] of byConnection) {
      const redis = new Redis(connection, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        for (const namespace of namespaces) {
          await deleteKeys(redis, `${namespace}*`);
        }
      } finally {
        redis.disconnect();
      }
    }
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    cursor = next;
  } while (cursor !== '0');
}
