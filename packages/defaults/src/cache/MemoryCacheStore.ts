import type { CacheStore } from './CacheStore';

interface Entry {
  value: string;
  expiresAt?: number;
}

/** Options for {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** The most entries kept; the least recently used go first. */
  maxEntries: number;
  /** The clock, in milliseconds; `Date.now` unless a test injects one. */
  now?: () => number;
}

/**
 * An in-process cache store, bounded by entry count with least-recently-used eviction. Expired
 * entries are dropped when read and count as misses. Local to one process by design.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryCacheStoreOptions) {
    this.maxEntries = options.maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** The number of entries held, expired ones included until they are read or evicted. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    this.entries.delete(key);
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      return undefined;
    }
    // Re-inserting moves the key to the most recently used end of the map's order.
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttl: number | undefined): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: ttl === undefined ? undefined : this.now() + ttl });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) {
        break;
      }
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
