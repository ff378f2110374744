import type { Config, LoggerService } from '@backplane/plugin-api';
import { durationToMilliseconds } from './durationToMilliseconds';

/** The cache stores Backplane provides. */
export type CacheStoreName = 'memory' | 'redis';

/** `backend.cache`, read and checked. */
export interface CacheConfig {
  store: CacheStoreName;
  /** Milliseconds; applies when a plugin sets no ttl. */
  defaultTtl?: number;
  memory: { maxEntries: number };
  redis: {
    connection: string;
    namespace?: string;
    keyPrefixSeparator: string;
    commandTimeout: number;
    connectTimeout?: number;
  };
}

const storeNames: readonly CacheStoreName[] = ['memory', 'redis'];
const defaultMaxEntries = 10_000;
const defaultCommandTimeout = 500;

/**
 * Reads `backend.cache` the way the official runtime does (`store`, `connection`, `defaultTtl`,
 * `redis.client.namespace`, `redis.client.keyPrefixSeparator`) plus Backplane's own bounds
 * (`memory.maxEntries`, `redis.commandTimeout`, `redis.connectTimeout`).
 */
export function readCacheConfig(config: Config, logger?: LoggerService): CacheConfig {
  const store = config.getOptionalString('backend.cache.store') || 'memory';
  if (!storeNames.includes(store as CacheStoreName)) {
    const hint =
      store === 'valkey'
        ? " Valkey speaks the Redis protocol: set 'redis' and point 'backend.cache.connection' " +
          'at the Valkey server.'
        : '';
    throw new Error(
      `Unsupported cache store '${store}' in 'backend.cache.store': use one of ` +
        `${storeNames.map(name => `'${name}'`).join(', ')}.${hint}`,
    );
  }

  if (config.has('backend.cache.useRedisSets')) {
    logger?.warn(
      "The 'backend.cache.useRedisSets' config key has no effect; remove it from your config.",
    );
  }

  const connection = config.getOptionalString('backend.cache.connection') ?? '';
  if (store === 'redis' && !connection) {
    throw new Error(
      "Missing 'backend.cache.connection' for cache store 'redis': set it to a URL such as " +
        "'redis://localhost:6379'.",
    );
  }
  if (store === 'redis' && !/^rediss?:\/\//.test(connection)) {
    throw new Error(
      `Invalid 'backend.cache.connection' for cache store 'redis': use a URL such as ` +
        `'redis://localhost:6379' or 'rediss://user:password@host:6380' for TLS.`,
    );
  }
  if (config.has('backend.cache.redis.cluster.rootNodes')) {
    throw new Error(
      "'backend.cache.redis.cluster' is not supported by Backplane: remove it and give a single " +
        "Redis endpoint in 'backend.cache.connection'.",
    );
  }

  return {
    store: store as CacheStoreName,
    defaultTtl: readDuration(config, 'backend.cache.defaultTtl'),
    memory: {
      maxEntries:
        readPositiveInteger(config, 'backend.cache.memory.maxEntries') ?? defaultMaxEntries,
    },
    redis: {
      connection,
      namespace: config.getOptionalString('backend.cache.redis.client.namespace'),
      keyPrefixSeparator:
        config.getOptionalString('backend.cache.redis.client.keyPrefixSeparator') ?? ':',
      commandTimeout:
        readDuration(config, 'backend.cache.redis.commandTimeout', 1) ?? defaultCommandTimeout,
      connectTimeout: readDuration(config, 'backend.cache.redis.connectTimeout', 1),
    },
  };
}

function readDuration(config: Config, key: string, minimum = 0): number | undefined {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return undefined;
  }
  const ms = durationToMilliseconds(value);
  if (ms === undefined || ms < minimum) {
    throw new Error(
      `Invalid '${key}' value ${JSON.stringify(value)}: give milliseconds as a number, a ` +
        `duration object such as { minutes: 5 }, or an ISO 8601 duration such as 'PT5M'.`,
    );
  }
  return ms;
}

function readPositiveInteger(config: Config, key: string): number | undefined {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(
      `Invalid '${key}' value ${JSON.stringify(value)}: give a whole number of 1 or more.`,
    );
  }
  return value;
}
