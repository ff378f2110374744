import type { createLocalJWKSet, FlattenedJWSInput, JWSHeaderParameters, KeyLike } from 'jose';
import { JwksFetchError } from './JwksFetchError';
import { loadJose } from './loadJose';

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** A fetched key set, or the error fetching it failed with. */
type Entry = { fetchedAt: number } & ({ keySet: KeySet; error?: undefined } | { error: Error });

/** A function jose's `jwtVerify` can use to find the key of a token. */
export type JwksKeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<KeyLike | Uint8Array>;

/** Options for {@link JwksCache}. */
export interface JwksCacheOptions {
  /** Do not fetch the same URL again sooner than this, even for an unknown key id. Default 1 s. */
  minRefreshIntervalMs?: number;
  /** Fetch again after this long even when every key id is known. Default 10 min. */
  maxAgeMs?: number;
  /** Give up on a JWKS request after this long. Default 5 s. */
  fetchTimeoutMs?: number;
  /** How many URLs to remember; the least recently used is dropped. Default 256. */
  maxEntries?: number;
  /** Response bodies larger than this are refused. Default 256 KiB. */
  maxBodyBytes?: number;
}

const NO_MATCHING_KEY = 'ERR_JWKS_NO_MATCHING_KEY';

/**
 * Fetches and caches public key sets (JWKS) by URL. An unknown key id triggers one refetch,
 * rate-limited per URL, so keys published after the last fetch (rotation, a new replica) are
 * found, while a flood of tokens with made-up key ids costs at most one request per interval.
 */
export class JwksCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<Entry>>();
  readonly #minRefreshIntervalMs: number;
  readonly #maxAgeMs: number;
  readonly #fetchTimeoutMs: number;
  readonly #maxEntries: number;
  readonly #maxBodyBytes: number;

  constructor(options: JwksCacheOptions = {}) {
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1000;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60 * 1000;
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? 5000;
    this.#maxEntries = options.maxEntries ?? 256;
    this.#maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  }

  /** A key resolver for the JWKS at the URL that `getUrl` returns (resolved on each use). */
  keyResolver(getUrl: () => Promise<string>): JwksKeyResolver {
    return async (header, token) => {
      const url = await getUrl();
      let entry = this.#entries.get(url);
      if (!entry || this.#shouldRefresh(entry)) {
        entry = await this.#refresh(url);
      }
      try {
        return await this.#lookup(entry, header, token);
      } catch (error) {
        const unknownKey = (error as { code?: string }).code === NO_MATCHING_KEY;
        if (!unknownKey || Date.now() - entry.fetchedAt < this.#minRefreshIntervalMs) {
          throw error;
        }
        return await this.#lookup(await this.#refresh(url), header, token);
      }
    };
  }

  #shouldRefresh(entry: Entry): boolean {
    const age = Date.now() - entry.fetchedAt;
    return age > this.#maxAgeMs || (entry.error !== undefined && age >= this.#minRefreshIntervalMs);
  }

  async #lookup(entry: Entry, header: JWSHeaderParameters, token: FlattenedJWSInput) {
    if (entry.error !== undefined) {
      throw entry.error;
    }
    return (await entry.keySet(header, token)) as KeyLike | Uint8Array;
  }

  #refresh(url: string): Promise<Entry> {
    const pending = this.#inFlight.get(url);
    if (pending) {
      return pending;
    }
    const promise = this.#fetch(url)
      .then(
        (keySet): Entry => ({ keySet, fetchedAt: Date.now() }),
        (error: Error): Entry => ({ fetchedAt: Date.now(), error }),
      )
      .then(entry => {
        this.#entries.delete(url);
        this.#entries.set(url, entry);
        if (this.#entries.size > this.#maxEntries) {
          this.#entries.delete(this.#entries.keys().next().value as string);
        }
        return entry;
      })
      .finally(() => this.#inFlight.delete(url));
    this.#inFlight.set(url, promise);
    return promise;
  }

  async #fetch(url: string): Promise<KeySet> {
    const { createLocalJWKSet } = await loadJose();
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#fetchTimeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new JwksFetchError(`Could not fetch the public keys at '${url}'`, url, {
        cause: error,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JwksFetchError(
        `Could not fetch the public keys at '${url}': HTTP ${response.status}`,
        url,
      );
    }
    const text = await response.text();
    if (text.length > this.#maxBodyBytes) {
      throw new JwksFetchError(
        `The public keys at '${url}' exceed ${this.#maxBodyBytes} bytes`,
        url,
      );
    }
    try {
      return createLocalJWKSet(JSON.parse(text));
    } catch (error) {
      throw new JwksFetchError(`The public keys at '${url}' are not a valid JWKS document`, url, {
        cause: error,
      });
    }
  }
}
