import type { Readable } from 'node:stream';
import type {
  LoggerService,
  RootConfigService,
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
} from '@backplane/plugin-api';

/** A reader together with the URLs it handles. */
export interface UrlReaderPredicateTuple {
  reader: UrlReaderService;
  predicate(url: URL): boolean;
}

/** A file handed to {@link ReadTreeResponseFactory.fromFiles}. */
export interface TreeFile {
  /** The path inside the tree, with `/` separators and no leading `/`. */
  path: string;
  content(): Promise<Buffer>;
  lastModifiedAt?: Date;
}

/** Builds readTree responses, for readers that integrations add. */
export interface ReadTreeResponseFactory {
  /** A tree from a tar or tar.gz archive; `subpath` keeps only that folder, re-rooted. */
  fromTarArchive(options: {
    stream: Readable | Buffer;
    subpath?: string;
    etag: string;
    filter?(path: string, info?: { size: number }): boolean;
  }): Promise<UrlReaderServiceReadTreeResponse>;
  /** A tree from files already at hand. */
  fromFiles(options: {
    files: TreeFile[];
    etag: string;
  }): Promise<UrlReaderServiceReadTreeResponse>;
}

/** Options handed to each {@link ReaderFactory}. */
export interface ReaderFactoryOptions {
  config: RootConfigService;
  logger: LoggerService;
  treeResponseFactory: ReadTreeResponseFactory;
}

/**
 * Adds readers for more URL kinds, for example a code host. Provide one through
 * `urlReaderFactoriesServiceRef`; readers it returns are asked before the built-in ones.
 */
export type ReaderFactory = (options: ReaderFactoryOptions) => UrlReaderPredicateTuple[];
