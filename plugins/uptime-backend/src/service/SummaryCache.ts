import type { CacheService } from '@backplane/plugin-api';
import type { TargetStore } from './TargetStore';
import type { TargetSummary } from './types';

/**
 * How long a cached summary is served. The check task rewrites a target's summary after each
 * check, so with a shared cache (Redis) it is fresh at once; with the memory store, another
 * replica may serve one that is at most this old.
 */
const SUMMARY_TTL = { minutes: 1 };

/**
 * The status summary of each target, read through the cache: `GET /targets` and the badge read
 * it on every request, the database is asked only on a miss.
 */
export class SummaryCache {
  readonly #cache: CacheService;
  readonly #store: TargetStore;

  constructor(options: { cache: CacheService; store: TargetStore }) {
    this.#cache = options.cache.withOptions({ defaultTtl: SUMMARY_TTL });
    this.#store = options.store;
  }

  /** The summary of target `id`, from the cache or else the database; undefined when it does not exist. */
  async get(id: number): Promise<TargetSummary | undefined> {
    const cached = await this.#cache.get<TargetSummary>(key(id));
    if (cached) {
      return cached;
    }
    return this.refresh(id);
  }

  /** Reads the summary from the database and caches it; removes the entry when the target is gone. */
  async refresh(id: number): Promise<TargetSummary | undefined> {
    const summary = await this.#store.summary(id);
    if (!summary) {
      await this.#cache.delete(key(id));
      return undefined;
    }
    await this.#cache.set(key(id), summary);
    return summary;
  }

  async forget(id: number): Promise<void> {
    await this.#cache.delete(key(id));
  }
}

function key(id: number): string {
  return `summary:${id}`;
}
