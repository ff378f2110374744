import type { HumanDuration } from './SchedulerService';

/** A JSON value that can be stored in the cache. */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
export type JsonPrimitive = number | string | boolean | null;
export type JsonObject = { [key in string]?: JsonValue };
export type JsonArray = JsonValue[];

/** Options for {@link CacheService.set}. */
export interface CacheServiceSetOptions {
  /** Time to live, in milliseconds or as a duration object such as `{ minutes: 5 }`. */
  ttl?: number | HumanDuration;
}

/** Options for {@link CacheService.withOptions}. */
export interface CacheServiceOptions {
  defaultTtl?: CacheServiceSetOptions['ttl'];
}

/** A best-effort key-value cache, namespaced per plugin. */
export interface CacheService {
  get<TValue extends JsonValue>(key: string): Promise<TValue | undefined>;
  set(key: string, value: JsonValue, options?: CacheServiceSetOptions): Promise<void>;
  delete(key: string): Promise<void>;
  withOptions(options: CacheServiceOptions): CacheService;
}
