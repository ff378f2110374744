/**
 * Where a cache keeps its entries. Values arrive serialized; keys arrive with the plugin's
 * prefix. A store never throws because its backend is unavailable: it answers a miss instead.
 */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  /** `ttl` in milliseconds; `undefined` keeps the entry until it is evicted or deleted. */
  set(key: string, value: string, ttl: number | undefined): Promise<void>;
  delete(key: string): Promise<void>;
  /** Releases connections; later calls are misses. */
  close(): Promise<void>;
}
