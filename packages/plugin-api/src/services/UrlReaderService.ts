import type { Readable } from 'node:stream';

/** Options for {@link UrlReaderService.readUrl}. */
export interface UrlReaderServiceReadUrlOptions {
  /** The ETag of the caller's copy; an unchanged resource throws NotModifiedError. */
  etag?: string;
  /** Only read if changed after this time; else NotModifiedError. */
  lastModifiedAfter?: Date;
  signal?: AbortSignal;
  token?: string;
}

/** The response of {@link UrlReaderService.readUrl}. */
export interface UrlReaderServiceReadUrlResponse {
  buffer(): Promise<Buffer>;
  stream?(): Readable;
  etag?: string;
  lastModifiedAt?: Date;
}

/** Options for {@link UrlReaderService.readTree}. */
export interface UrlReaderServiceReadTreeOptions {
  filter?(path: string, info?: { size: number }): boolean;
  etag?: string;
  signal?: AbortSignal;
  token?: string;
}

/** One file of a tree. */
export interface UrlReaderServiceReadTreeResponseFile {
  path: string;
  content(): Promise<Buffer>;
  lastModifiedAt?: Date;
}

/** The response of {@link UrlReaderService.readTree}. */
export interface UrlReaderServiceReadTreeResponse {
  files(): Promise<UrlReaderServiceReadTreeResponseFile[]>;
  archive(): Promise<Readable>;
  dir(options?: { targetDir?: string }): Promise<string>;
  etag: string;
}

/** Options for {@link UrlReaderService.search}. */
export interface UrlReaderServiceSearchOptions {
  etag?: string;
  signal?: AbortSignal;
  token?: string;
}

/** The response of {@link UrlReaderService.search}. */
export interface UrlReaderServiceSearchResponse {
  files: Array<{ url: string; content(): Promise<Buffer>; lastModifiedAt?: Date }>;
  etag: string;
}

/** Reads files and trees from URLs allowed by `backend.reading.allow`. */
export interface UrlReaderService {
  readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse>;
  readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse>;
  search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse>;
}
