import { InputError, NotAllowedError } from '@backplane/plugin-api';
import type {
  LoggerService,
  RootConfigService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backplane/plugin-api';
import { DefaultReadTreeResponseFactory } from './DefaultReadTreeResponseFactory';
import { FetchUrlReader } from './FetchUrlReader';
import { FileUrlReader } from './FileUrlReader';
import { READING_ALLOW_KEY, ReadAllowList } from './ReadAllowList';
import type { ReaderFactory, UrlReaderPredicateTuple } from './types';

/** Options of {@link DefaultUrlReaderService.create}. */
export interface DefaultUrlReaderServiceOptions {
  config: RootConfigService;
  logger: LoggerService;
  /** Factories of more readers, asked before the built-in ones. */
  factories?: ReaderFactory[];
}

/**
 * Routes each URL to the reader that handles it: readers added through
 * `core.urlReader.factories` first, then local files, then http and https. The built-in
 * readers read only what `backend.reading.allow` lists, re-read when a watched config changes.
 */
export class DefaultUrlReaderService implements UrlReaderService {
  readonly #readers: UrlReaderPredicateTuple[];
  readonly #file: FileUrlReader;
  readonly #fetch: FetchUrlReader;

  /** Creates the reader from config and the given factories. */
  static create(options: DefaultUrlReaderServiceOptions): DefaultUrlReaderService {
    const { config, logger } = options;
    const allowList = ReadAllowList.fromConfig(config);
    config.subscribe?.(() => {
      try {
        allowList.reload(config);
      } catch (error) {
        logger.error(
          `Ignored the reloaded '${READING_ALLOW_KEY}': ${(error as Error).message} ` +
            'The URL reader keeps the previous list; fix the entry and save the config again.',
          { error },
        );
      }
    });
    const treeResponseFactory = new DefaultReadTreeResponseFactory({
      workingDirectory: config.getOptionalString('backend.workingDirectory'),
    });
    const readers = (options.factories ?? []).flatMap(factory =>
      factory({ config, logger, treeResponseFactory }),
    );
    return new DefaultUrlReaderService(
      readers,
      new FileUrlReader({ allowList, treeResponseFactory }),
      new FetchUrlReader({ allowList, treeResponseFactory }),
    );
  }

  private constructor(
    readers: UrlReaderPredicateTuple[],
    file: FileUrlReader,
    fetchReader: FetchUrlReader,
  ) {
    this.#readers = readers;
    this.#file = file;
    this.#fetch = fetchReader;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    return this.#pick(url).readUrl(url, options);
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    return this.#pick(url).readTree(url, options);
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    return this.#pick(url).search(url, options);
  }

  #pick(url: string): UrlReaderService {
    if (typeof url !== 'string' || url === '') {
      throw new InputError(
        `The URL to read must be a non-empty string, got ${JSON.stringify(url)}`,
      );
    }
    if (FileUrlReader.toLocalPath(url) !== undefined) {
      return this.#file;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new InputError(
        `'${url}' is not a valid URL; give an absolute http(s) or file URL, or an absolute path`,
        error,
      );
    }
    const custom = this.#readers.find(tuple => tuple.predicate(parsed));
    if (custom) {
      return custom.reader;
    }
    if (FetchUrlReader.handles(parsed)) {
      return this.#fetch;
    }
    throw new NotAllowedError(
      `Reading from '${url}' is not allowed: no reader handles '${parsed.protocol}' URLs. ` +
        `Use http, https or file URLs listed in '${READING_ALLOW_KEY}', or add a reader ` +
        `through 'core.urlReader.factories'.`,
    );
  }
}
