import {
  InputError,
  type CacheService,
  type CacheServiceOptions,
  type CacheServiceSetOptions,
  type JsonValue,
} from '@backplane/plugin-api';
import type { CacheStore } from './CacheStore';
import { durationToMilliseconds } from './durationToMilliseconds';

/** Options for {@link DefaultCacheClient}. */
export interface DefaultCacheClientOptions {
  store: CacheStore;
  pluginId: string;
  /** Put in front of every key, so that plugins sharing a store never see each other's keys. */
  keyPrefix: string;
  /** Milliseconds; used when `set` is given no `ttl`. */
  defaultTtl?: number;
}

/**
 * The cache service of one plugin: JSON values under the plugin's key prefix, with a time to
 * live per entry or a default one. Store outages show up as misses, never as errors.
 */
export class DefaultCacheClient implements CacheService {
  constructor(private readonly options: DefaultCacheClientOptions) {}

  async get<TValue extends JsonValue>(key: string): Promise<TValue | undefined> {
    const raw = await this.options.store.get(this.options.keyPrefix + key);
    if (raw === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(raw) as TValue;
    } catch {
      // An entry that is not JSON was written by something else: treat it as absent.
      return undefined;
    }
  }

  async set(key: string, value: JsonValue, options: CacheServiceSetOptions = {}): Promise<void> {
    const ttl =
      options.ttl === undefined ? this.options.defaultTtl : this.readTtl(options.ttl, 'ttl');
    const raw = this.serialize(key, value);
    const storeKey = this.options.keyPrefix + key;
    if (ttl !== undefined && ttl < 0) {
      await this.options.store.delete(storeKey);
      return;
    }
    await this.options.store.set(storeKey, raw, ttl === 0 ? undefined : ttl);
  }

  async delete(key: string): Promise<void> {
    await this.options.store.delete(this.options.keyPrefix + key);
  }

  withOptions(options: CacheServiceOptions): CacheService {
    const defaultTtl =
      options.defaultTtl === undefined
        ? this.options.defaultTtl
        : this.readTtl(options.defaultTtl, 'defaultTtl');
    return new DefaultCacheClient({ ...this.options, defaultTtl });
  }

  private readTtl(value: unknown, name: 'ttl' | 'defaultTtl'): number {
    const ms = durationToMilliseconds(value);
    if (ms === undefined || typeof value === 'string') {
      const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
      throw new InputError(
        `Invalid cache '${name}' ${shown} from plugin '${this.options.pluginId}': ` +
          `give milliseconds as a number or a duration object such as { minutes: 5 }.`,
      );
    }
    return ms;
  }

  private serialize(key: string, value: JsonValue): string {
    let raw: string | undefined;
    try {
      raw = JSON.stringify(value);
    } catch (error) {
      throw new InputError(
        `Cannot cache the value for key '${key}' of plugin '${this.options.pluginId}': it is ` +
          `not JSON-serializable. Store plain objects, arrays, strings, numbers, booleans or null.`,
        error,
      );
    }
    if (raw === undefined) {
      throw new InputError(
        `Cannot cache the value for key '${key}' of plugin '${this.options.pluginId}': ` +
          `${typeof value} is not a JSON value. Store plain objects, arrays, strings, numbers, ` +
          `booleans or null.`,
      );
    }
    return raw;
  }
}
