import { searchSingleFile } from './searchSingleFile';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { InputError, NotFoundError, NotModifiedError } from '@backplane/plugin-api';
import type {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backplane/plugin-api';
import type { ReadAllowList } from './ReadAllowList';
import type { ReadTreeResponseFactory } from './types';

const MAX_REDIRECTS = 5;
const GLOB_CHARS = /[*?[\]{}]/;

interface FetchResult {
  response: Response;
  url: URL;
}

/**
 * Reads http and https URLs that `backend.reading.allow` lists. Redirects are followed by hand,
 * so every hop is checked against the list.
 */
export class FetchUrlReader implements UrlReaderService {
  readonly #allowList: ReadAllowList;
  readonly #treeResponseFactory: ReadTreeResponseFactory;

  constructor(options: { allowList: ReadAllowList; treeResponseFactory: ReadTreeResponseFactory }) {
    this.#allowList = options.allowList;
    this.#treeResponseFactory = options.treeResponseFactory;
  }

  /** True for http and https URLs. */
  static handles(url: URL): boolean {
    return url.protocol === 'http:' || url.protocol === 'https:';
  }

  async readUrl(
    url: string,
    options: UrlReaderServiceReadUrlOptions = {},
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const headers: Record<string, string> = {};
    if (options.etag) {
      headers['if-none-match'] = options.etag;
    }
    if (options.lastModifiedAfter) {
      headers['if-modified-since'] = options.lastModifiedAfter.toUTCString();
    }
    const { response } = await this.#fetch(url, headers, options);
    const etag = response.headers.get('etag') ?? undefined;
    const lastModifiedHeader = response.headers.get('last-modified');
    const lastModifiedAt = lastModifiedHeader ? new Date(lastModifiedHeader) : undefined;
    if (options.etag && etag && etag === options.etag) {
      await response.body?.cancel();
      throw new NotModifiedError(`'${url}' has not changed since ETag ${options.etag}`);
    }
    if (
      options.lastModifiedAfter &&
      lastModifiedAt &&
      !Number.isNaN(lastModifiedAt.getTime()) &&
      lastModifiedAt.getTime() <= options.lastModifiedAfter.getTime()
    ) {
      await response.body?.cancel();
      throw new NotModifiedError(
        `'${url}' has not changed since ${options.lastModifiedAfter.toISOString()}`,
      );
    }
    const buffer = Buffer.from(await response.arrayBuffer());
    return {
      buffer: async () => buffer,
      stream: () => Readable.from([buffer]),
      etag,
      lastModifiedAt:
        lastModifiedAt && !Number.isNaN(lastModifiedAt.getTime()) ? lastModifiedAt : undefined,
    };
  }

  /** Reads a tree from a tar or tar.gz archive at the URL. */
  async readTree(
    url: string,
    options: UrlReaderServiceReadTreeOptions = {},
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const headers: Record<string, string> = {};
    if (options.etag) {
      headers['if-none-match'] = options.etag;
    }
    const { response } = await this.#fetch(url, headers, options);
    const data = Buffer.from(await response.arrayBuffer());
    const etag = response.headers.get('etag') ?? createHash('sha256').update(data).digest('hex');
    if (options.etag && etag === options.etag) {
      throw new NotModifiedError(`'${url}' has not changed since ETag ${options.etag}`);
    }
    return this.#treeResponseFactory.fromTarArchive({
      stream: data,
      etag,
      filter: options.filter,
    });
  }

  /** Reads the one file a URL without glob characters names; globs are not supported over http. */
  async search(
    url: string,
    options: UrlReaderServiceSearchOptions = {},
  ): Promise<UrlReaderServiceSearchResponse> {
    const parsed = new URL(url);
    if (GLOB_CHARS.test(decodeURIComponent(parsed.pathname))) {
      this.#allowList.assertUrl(parsed, url);
      throw new InputError(
        `Searching '${url}' with a glob pattern is not supported for http and https URLs; ` +
          `search for one file's URL, or read an archive of the folder with readTree.`,
      );
    }
    return searchSingleFile(url, (u, o) => this.readUrl(u, o), options);
  }

  async #fetch(
    url: string,
    headers: Record<string, string>,
    options: { signal?: AbortSignal; token?: string },
  ): Promise<FetchResult> {
    let current = new URL(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.#allowList.assertUrl(current, hop === 0 ? url : current.href);
      const requestHeaders = { ...headers };
      if (options.token) {
        requestHeaders.authorization = `Bearer ${options.token}`;
      }
      let response: Response;
      try {
        response = await fetch(current, {
          headers: requestHeaders,
          redirect: 'manual',
          signal: options.signal,
        });
      } catch (error) {
        throw new Error(`Could not read '${current.href}': the request failed`, { cause: error });
      }
      if (response.status === 304) {
        throw new NotModifiedError(
          headers['if-none-match']
            ? `'${url}' has not changed since ETag ${headers['if-none-match']}`
            : `'${url}' has not changed since ${headers['if-modified-since']}`,
        );
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      if (response.status === 404) {
        await response.body?.cancel();
        throw new NotFoundError(`Could not read '${url}': 404 Not Found`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(
          `Could not read '${url}': ${response.status} ${response.statusText}`.trim(),
        );
      }
      return { response, url: current };
    }
    throw new Error(`Could not read '${url}': more than ${MAX_REDIRECTS} redirects`);
  }
}
