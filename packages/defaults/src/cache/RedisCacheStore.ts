import type Redis from 'ioredis';
import type { LoggerService } from '@backplane/plugin-api';
import type { CacheStore } from './CacheStore';

/** How often a call may probe a Redis that is connected but stopped answering, in ms. */
const probeInterval = 1000;

/** Options for {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A `redis://` or `rediss://` URL. */
  connection: string;
  logger: LoggerService;
  /** The longest a cache call waits for Redis, in milliseconds. */
  commandTimeout: number;
  /** The longest one connection attempt may take, in milliseconds. */
  connectTimeout?: number;
  /** The longest wait between reconnection attempts, in milliseconds. */
  maxReconnectDelay?: number;
}

/**
 * A cache store on Redis through ioredis, best effort: every call returns within the command
 * timeout, and while Redis is unreachable or not answering, calls return misses at once instead
 * of queueing (one call a second probes a connection that stopped answering). ioredis
 * reconnects by itself. The outage is logged once, and again when Redis is back.
 */
export class RedisCacheStore implements CacheStore {
  private readonly client: Redis;
  private readonly logger: LoggerService;
  private readonly commandTimeout: number;
  private readonly target: string;
  private available = true;
  private closing = false;
  private nextProbeAt = 0;

  constructor(options: RedisCacheStoreOptions) {
    this.logger = options.logger;
    this.commandTimeout = options.commandTimeout;
    this.target = describeTarget(options.connection);
    const maxReconnectDelay = options.maxReconnectDelay ?? 2000;

    // ioredis loads only when a Redis store is configured (a plain require keeps Jest working).
    const RedisClient = (require('ioredis') as typeof import('ioredis')).default;
    this.client = new RedisClient(options.connection, {
      // Fail fast instead of queueing while disconnected; bound every command.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeout,
      connectTimeout: options.connectTimeout ?? 10_000,
      retryStrategy: attempt => Math.min(attempt * 100, maxReconnectDelay),
    });
    this.client.on('ready', () => this.markAvailable());
    this.client.on('error', error => this.markUnavailable(error));
    this.client.on('close', () => this.markUnavailable(new Error('Connection to Redis closed')));
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.run(() => this.client.get(key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttl: number | undefined): Promise<void> {
    if (ttl === undefined) {
      await this.run(() => this.client.set(key, value));
    } else {
      await this.run(() => this.client.set(key, value, 'PX', Math.max(1, Math.ceil(ttl))));
    }
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(key));
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'ready') {
      await withTimeout(this.client.quit(), this.commandTimeout).catch(() => undefined);
    }
    this.client.disconnect();
  }

  /** Runs one command; on any failure returns `undefined` and records the outage. */
  private async run<T>(command: () => Promise<T>): Promise<T | undefined> {
    if (this.closing || !(await this.whenReady())) {
      return undefined;
    }
    // Connected but not answering: let one call per interval probe it, answer the rest at once.
    if (!this.available) {
      const now = Date.now();
      if (now < this.nextProbeAt) {
        return undefined;
      }
      this.nextProbeAt = now + probeInterval;
    }
    try {
      const result = await command();
      this.markAvailable();
      return result;
    } catch (error) {
      this.markUnavailable(error);
      return undefined;
    }
  }

  /**
   * True when a command can be sent now. While the first connection is being made, waits for it
   * up to the command timeout; during an outage answers false at once.
   */
  private async whenReady(): Promise<boolean> {
    const status = this.client.status;
    if (status === 'ready') {
      return true;
    }
    if (!this.available || (status !== 'connecting' && status !== 'connect' && status !== 'wait')) {
      return false;
    }
    return new Promise<boolean>(resolve => {
      const finish = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('close', onClose);
        resolve(ready);
      };
      const onReady = () => finish(true);
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(false), this.commandTimeout);
      this.client.once('ready', onReady);
      this.client.once('close', onClose);
    });
  }

  private markAvailable() {
    if (this.available) {
      return;
    }
    this.available = true;
    this.logger.info('Cache store recovered; cache calls are served again', {
      store: 'redis',
      target: this.target,
    });
  }

  private markUnavailable(error: unknown) {
    if (!this.available || this.closing) {
      return;
    }
    this.available = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(
      `Cache store 'redis' at ${this.target} is unavailable; cache calls return misses until ` +
        `it reconnects (${reason})`,
      error instanceof Error ? error : undefined,
    );
  }
}

/** `host:port` of a Redis URL, without credentials, for logs. */
function describeTarget(connection: string): string {
  try {
    const url = new URL(connection);
    return `${url.hostname || 'localhost'}:${url.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), ms);
    promise.then(
      value => {
        clearTimeout(timer);
        resolve(value);
      },
      error => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
