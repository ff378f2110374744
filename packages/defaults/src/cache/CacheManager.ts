import type { CacheService, Config, LoggerService } from '@backplane/plugin-api';
import type { CacheStore } from './CacheStore';
import { DefaultCacheClient } from './DefaultCacheClient';
import { MemoryCacheStore } from './MemoryCacheStore';
import { readCacheConfig, type CacheConfig } from './readCacheConfig';
import { RedisCacheStore } from './RedisCacheStore';

/** Options for {@link CacheManager.fromConfig}. */
export interface CacheManagerOptions {
  /** Where store outages and recoveries are logged. */
  logger?: LoggerService;
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

/**
 * Gives each plugin its cache, as configured under `backend.cache`. One manager serves a whole
 * backend: with Redis all plugins share one connection, opened when the first plugin asks for
 * its cache; with the memory store each plugin gets its own bounded store.
 */
export class CacheManager {
  private readonly memoryStores = new Map<string, MemoryCacheStore>();
  private redisStore?: RedisCacheStore;

  /** Reads `backend.cache`; throws if it is invalid. Opens no connection yet. */
  static fromConfig(config: Config, options: CacheManagerOptions = {}): CacheManager {
    const logger = options.logger ?? silentLogger;
    return new CacheManager(readCacheConfig(config, logger), logger);
  }

  private constructor(
    private readonly config: CacheConfig,
    private readonly logger: LoggerService,
  ) {}

  /** The cache service of one plugin; keys of other plugins are out of its reach. */
  forPlugin(pluginId: string): CacheService {
    const { store, keyPrefix } = this.storeFor(pluginId);
    return new DefaultCacheClient({
      store,
      pluginId,
      keyPrefix,
      defaultTtl: this.config.defaultTtl,
    });
  }

  /** Closes the Redis connection and empties the memory stores. */
  async shutdown(): Promise<void> {
    const stores: CacheStore[] = [...this.memoryStores.values()];
    if (this.redisStore) {
      stores.push(this.redisStore);
    }
    this.memoryStores.clear();
    await Promise.all(stores.map(store => store.close()));
  }

  private storeFor(pluginId: string): { store: CacheStore; keyPrefix: string } {
    if (this.config.store === 'redis') {
      const { namespace, keyPrefixSeparator: separator } = this.config.redis;
      this.redisStore ??= new RedisCacheStore({
        connection: this.config.redis.connection,
        commandTimeout: this.config.redis.commandTimeout,
        connectTimeout: this.config.redis.connectTimeout,
        logger: this.logger,
      });
      const keyPrefix = `${namespace ? `${namespace}${separator}` : ''}${pluginId}${separator}`;
      return { store: this.redisStore, keyPrefix };
    }

    let store = this.memoryStores.get(pluginId);
    if (!store) {
      store = new MemoryCacheStore({ maxEntries: this.config.memory.maxEntries });
      this.memoryStores.set(pluginId, store);
    }
    return { store, keyPrefix: '' };
  }
}
