import { searchSingleFile } from './searchSingleFile';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadMinimatch, loadTar } from './loadLibraries';
import { InputError, isChildPath, NotFoundError, NotModifiedError } from '@backplane/plugin-api';
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
import type { DefaultReadTreeResponseFactory } from './DefaultReadTreeResponseFactory';

const GLOB_CHARS = /[*?[\]{}]/;

interface WalkedFile {
  /** Path inside the root, with `/` separators. */
  path: string;
  absolute: string;
  size: number;
  mtime: Date;
}

function fileEtag(size: number, mtime: Date): string {
  return `"${size.toString(16)}-${Math.floor(mtime.getTime()).toString(16)}"`;
}

function treeEtag(files: WalkedFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${file.path}\0${file.size}\0${file.mtime.getTime()}\n`);
  }
  return hash.digest('hex');
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Lists the regular files under `root`; links are followed only when they stay inside it. */
async function walkFiles(root: string): Promise<WalkedFile[]> {
  const result: WalkedFile[] = [];
  const visit = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(absolute);
        continue;
      }
      let target = absolute;
      if (entry.isSymbolicLink()) {
        try {
          target = await realpath(absolute);
        } catch {
          continue;
        }
        if (!isChildPath(root, target)) {
          continue;
        }
      } else if (!entry.isFile()) {
        continue;
      }
      const info = await stat(target);
      if (!info.isFile()) {
        continue;
      }
      result.push({
        path: relative(root, absolute).split(sep).join('/'),
        absolute: target,
        size: info.size,
        mtime: info.mtime,
      });
    }
  };
  await visit(root);
  return result;
}

/**
 * Reads local files named by `file:` URLs or absolute paths, inside the folders that
 * `backend.reading.allow` lists as `{ path }` entries.
 */
export class FileUrlReader implements UrlReaderService {
  readonly #allowList: ReadAllowList;
  readonly #treeResponseFactory: DefaultReadTreeResponseFactory;

  constructor(options: {
    allowList: ReadAllowList;
    treeResponseFactory: DefaultReadTreeResponseFactory;
  }) {
    this.#allowList = options.allowList;
    this.#treeResponseFactory = options.treeResponseFactory;
  }

  /** The local path a `file:` URL or an absolute path names, or undefined for other URLs. */
  static toLocalPath(url: string): string | undefined {
    if (url.startsWith('file:')) {
      try {
        return fileURLToPath(url);
      } catch (error) {
        throw new InputError(`'${url}' is not a valid file URL`, error);
      }
    }
    if (isAbsolute(url) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      return url;
    }
    return undefined;
  }

  async readUrl(
    url: string,
    options: UrlReaderServiceReadUrlOptions = {},
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.#allowList.assertLocalPath(FileUrlReader.toLocalPath(url)!, url);
    const info = await stat(path).catch(error => {
      throw isMissing(error)
        ? new NotFoundError(`Could not read '${url}': no such file`)
        : new Error(`Could not read '${url}'`, { cause: error });
    });
    if (info.isDirectory()) {
      throw new InputError(
        `Could not read '${url}': it is a folder; use readTree to read folders.`,
      );
    }
    const etag = fileEtag(info.size, info.mtime);
    if (options.etag && options.etag === etag) {
      throw new NotModifiedError(`'${url}' has not changed since ETag ${options.etag}`);
    }
    if (options.lastModifiedAfter && info.mtime.getTime() <= options.lastModifiedAfter.getTime()) {
      throw new NotModifiedError(
        `'${url}' has not changed since ${options.lastModifiedAfter.toISOString()}`,
      );
    }
    return {
      buffer: () => readFile(path),
      stream: () => createReadStream(path),
      etag,
      lastModifiedAt: info.mtime,
    };
  }

  async readTree(
    url: string,
    options: UrlReaderServiceReadTreeOptions = {},
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const root = this.#allowList.assertLocalPath(FileUrlReader.toLocalPath(url)!, url);
    const info = await stat(root).catch(error => {
      throw isMissing(error)
        ? new NotFoundError(`Could not read '${url}': no such folder`)
        : new Error(`Could not read '${url}'`, { cause: error });
    });
    if (!info.isDirectory()) {
      throw new InputError(`Could not read the tree at '${url}': it is a file, not a folder.`);
    }
    const all = await walkFiles(root);
    const etag = treeEtag(all);
    if (options.etag && options.etag === etag) {
      throw new NotModifiedError(`'${url}' has not changed since ETag ${options.etag}`);
    }
    const picked = options.filter
      ? all.filter(f => options.filter!(f.path, { size: f.size }))
      : all;
    const files = picked.map(f => ({
      path: f.path,
      content: () => readFile(f.absolute),
      lastModifiedAt: f.mtime,
    }));
    return this.#treeResponseFactory.fromFiles({
      files,
      etag,
      archive: async () =>
        loadTar().c(
          { cwd: root, portable: true, follow: true },
          picked.map(f => f.path),
        ) as never,
    });
  }

  async search(
    url: string,
    options: UrlReaderServiceSearchOptions = {},
  ): Promise<UrlReaderServiceSearchResponse> {
    const localPath = FileUrlReader.toLocalPath(url)!;
    const segments = localPath.split(/[\\/]/);
    const globAt = segments.findIndex(segment => GLOB_CHARS.test(segment));
    if (globAt === -1) {
      return searchSingleFile(url, (u, o) => this.readUrl(u, o), options);
    }

    const base = segments.slice(0, globAt).join('/') || '/';
    const pattern = segments.slice(globAt).join('/');
    const root = this.#allowList.assertLocalPath(base, url);
    let all: WalkedFile[];
    try {
      all = await walkFiles(root);
    } catch (error) {
      if (isMissing(error)) {
        return { files: [], etag: '' };
      }
      throw error;
    }
    const matched = all.filter(f => loadMinimatch()(f.path, pattern));
    const etag = treeEtag(matched);
    if (options.etag && options.etag === etag) {
      throw new NotModifiedError(`The files matching '${url}' have not changed since ETag ${etag}`);
    }
    const asUrl = url.startsWith('file:')
      ? (f: WalkedFile) => pathToFileURL(join(base, f.path)).href
      : (f: WalkedFile) => join(base, f.path);
    return {
      files: matched.map(f => ({
        url: asUrl(f),
        content: () => readFile(f.absolute),
        lastModifiedAt: f.mtime,
      })),
      etag,
    };
  }
}
