import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { loadTar } from './loadLibraries';
import type { ReadEntry } from 'tar';
import { InputError, resolveSafeChildPath } from '@backplane/plugin-api';
import type { UrlReaderServiceReadTreeResponse } from '@backplane/plugin-api';
import type { ReadTreeResponseFactory, TreeFile } from './types';

const FILE_ENTRY_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Normalises a path from an archive or a walk to `a/b.txt`; returns undefined for paths that
 * would leave the tree (absolute, or with `..` above the root).
 */
export function normalizeTreePath(path: string): string | undefined {
  const unixPath = path.replace(/\\/g, '/');
  if (unixPath.startsWith('/') || /^[a-zA-Z]:/.test(unixPath)) {
    return undefined;
  }
  const normalized = posix.normalize(unixPath).replace(/^(\.\/)+/, '');
  if (
    normalized === '.' ||
    normalized === '' ||
    normalized.startsWith('../') ||
    normalized === '..'
  ) {
    return undefined;
  }
  return normalized.replace(/\/$/, '');
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Builds readTree responses from files, archives or folders. `dir()` writes under
 * `backend.workingDirectory` (or the OS temp folder) and never outside the target folder.
 */
export class DefaultReadTreeResponseFactory implements ReadTreeResponseFactory {
  readonly #workingDirectory?: string;

  constructor(options: { workingDirectory?: string } = {}) {
    this.#workingDirectory = options.workingDirectory;
  }

  async fromFiles(options: {
    files: TreeFile[];
    etag: string;
    archive?: () => Promise<Readable>;
  }): Promise<UrlReaderServiceReadTreeResponse> {
    const { files, etag } = options;
    const dir = async (dirOptions?: { targetDir?: string }) => {
      const parent = dirOptions?.targetDir ?? this.#workingDirectory ?? tmpdir();
      await mkdir(parent, { recursive: true });
      const target = dirOptions?.targetDir ?? (await mkdtemp(join(parent, 'backplane-tree-')));
      for (const file of files) {
        const destination = resolveSafeChildPath(target, file.path);
        await mkdir(dirname(destination), { recursive: true });
        await writeFile(destination, await file.content());
      }
      return target;
    };
    const archive =
      options.archive ??
      (async () => {
        const staging = await dir({
          targetDir: await mkdtemp(join(this.#workingDirectory ?? tmpdir(), 'backplane-archive-')),
        });
        const out = new PassThrough();
        const tarStream = loadTar().c(
          { cwd: staging, portable: true },
          files.map(f => f.path),
        ) as unknown as NodeJS.ReadableStream;
        tarStream.on('error', (error: Error) => out.destroy(error));
        const cleanup = () => void rm(staging, { recursive: true, force: true });
        out.on('close', cleanup);
        out.on('end', cleanup);
        tarStream.pipe(out);
        return out;
      });
    return { etag, files: async () => files, archive, dir };
  }

  async fromTarArchive(options: {
    stream: Readable | Buffer;
    subpath?: string;
    etag: string;
    filter?(path: string, info?: { size: number }): boolean;
  }): Promise<UrlReaderServiceReadTreeResponse> {
    const data = Buffer.isBuffer(options.stream)
      ? options.stream
      : await readStream(options.stream);
    const subpath = options.subpath ? normalizeTreePath(options.subpath) : undefined;
    const files: TreeFile[] = [];
    await new Promise<void>((resolvePromise, reject) => {
      const parser = new (loadTar().Parser)({
        strict: true,
        onReadEntry: (entry: ReadEntry) => {
          let path = FILE_ENTRY_TYPES.has(entry.type) ? normalizeTreePath(entry.path) : undefined;
          if (path && subpath) {
            path = path.startsWith(`${subpath}/`) ? path.slice(subpath.length + 1) : undefined;
          }
          if (!path || (options.filter && !options.filter(path, { size: entry.size ?? 0 }))) {
            entry.resume();
            return;
          }
          const chunks: Buffer[] = [];
          const filePath = path;
          const lastModifiedAt = entry.mtime;
          entry.on('data', (chunk: Buffer) => chunks.push(chunk));
          entry.on('end', () => {
            const content = Buffer.concat(chunks);
            files.push({ path: filePath, content: async () => content, lastModifiedAt });
          });
        },
      });
      parser.on('error', (error: Error) =>
        reject(new InputError('The archive could not be read as tar or tar.gz', error)),
      );
      parser.on('end', () => resolvePromise());
      parser.end(data);
    });
    return this.fromFiles({ files, etag: options.etag });
  }
}
