import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { c as createTar, t as listTar } from 'tar';
import { ConfigReader, RootConfigReader } from '@backplane/defaults/rootConfig';
import type { LoggerService } from '@backplane/plugin-api';
import { DefaultUrlReaderService } from './DefaultUrlReaderService';

const logger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => logger,
};

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

describe('DefaultUrlReaderService', () => {
  let server: Server;
  let port: number;
  let base: string;
  let work: string;
  let allowed: string;
  let outside: string;
  let treeArchive: Buffer;
  let evilArchive: Buffer;
  let reader: DefaultUrlReaderService;
  const lastModified = new Date('2024-05-01T10:00:00Z');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bp-urlreader-'));
    allowed = join(work, 'allowed');
    outside = join(work, 'outside');
    await mkdir(join(allowed, 'docs', 'deep'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(allowed, 'catalog-info.yaml'), 'kind: Component\n');
    await writeFile(join(allowed, 'docs', 'index.md'), '# Docs\n');
    await writeFile(join(allowed, 'docs', 'deep', 'page.md'), '# Deep\n');
    await writeFile(join(allowed, 'docs', 'deep', 'data.json'), '{}\n');
    await writeFile(join(outside, 'secret.txt'), 'secret\n');
    await symlink(join(outside, 'secret.txt'), join(allowed, 'docs', 'escape.txt'));

    // An archive of the docs folder, and one whose entry tries to climb out of the tree.
    const staging = join(work, 'staging');
    await mkdir(join(staging, 'src'), { recursive: true });
    await writeFile(join(staging, 'README.md'), 'hello tree\n');
    await writeFile(join(staging, 'src', 'main.ts'), 'export {};\n');
    treeArchive = await streamToBuffer(
      createTar({ cwd: staging, gzip: true, portable: true }, ['README.md', 'src']) as never,
    );
    await mkdir(join(staging, 'inner'), { recursive: true });
    await writeFile(join(staging, 'escape.txt'), 'escaped\n');
    evilArchive = await streamToBuffer(
      createTar({ cwd: join(staging, 'inner'), preservePaths: true, portable: true }, [
        '../escape.txt',
        '../README.md',
      ]) as never,
    );

    server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/file.txt') {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, {
          etag: '"v1"',
          'last-modified': lastModified.toUTCString(),
          'content-type': 'text/plain',
        });
        res.end(`hello${req.headers.authorization ? ` ${req.headers.authorization}` : ''}`);
      } else if (url === '/stale.txt') {
        // A server that ignores conditional headers.
        res.writeHead(200, { 'last-modified': lastModified.toUTCString() }).end('old');
      } else if (url === '/tree.tar.gz') {
        res.writeHead(200, { etag: '"tree-1"' }).end(treeArchive);
      } else if (url === '/evil.tar') {
        res.writeHead(200).end(evilArchive);
      } else if (url === '/not-a-tar') {
        res.writeHead(200).end('<html>nope</html>');
      } else if (url === '/hop') {
        res.writeHead(302, { location: '/file.txt' }).end();
      } else if (url === '/away') {
        res.writeHead(302, { location: `http://localhost:${port}/file.txt` }).end();
      } else if (url === '/boom') {
        res.writeHead(500).end('boom');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;

    reader = DefaultUrlReaderService.create({
      config: new ConfigReader({
        backend: {
          reading: {
            allow: [
              { host: `127.0.0.1:${port}` },
              { host: 'docs.example.com', paths: ['/public'] },
              { path: allowed },
            ],
          },
        },
      }),
      logger,
    });
  });

  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  describe('readUrl over http', () => {
    it('should read a file with its ETag and last modified time', async () => {
      const res = await reader.readUrl(`${base}/file.txt`, { token: 'abc' });
      expect((await res.buffer()).toString()).toBe('hello Bearer abc');
      expect(res.etag).toBe('"v1"');
      expect(res.lastModifiedAt).toEqual(lastModified);
      expect((await streamToBuffer(res.stream!())).toString()).toBe('hello Bearer abc');
    });

    it('should throw NotModifiedError when the ETag still matches', async () => {
      await expect(reader.readUrl(`${base}/file.txt`, { etag: '"v1"' })).rejects.toMatchObject({
        name: 'NotModifiedError',
        message: `'${base}/file.txt' has not changed since ETag "v1"`,
      });
    });

    it('should throw NotModifiedError when Last-Modified is not after lastModifiedAfter', async () => {
      await expect(
        reader.readUrl(`${base}/stale.txt`, {
          lastModifiedAfter: new Date('2024-06-01T00:00:00Z'),
        }),
      ).rejects.toMatchObject({ name: 'NotModifiedError' });
      const fresh = await reader.readUrl(`${base}/stale.txt`, {
        lastModifiedAfter: new Date('2024-01-01T00:00:00Z'),
      });
      expect((await fresh.buffer()).toString()).toBe('old');
    });

    it('should throw NotFoundError for a 404 and a plain error for other failures', async () => {
      await expect(reader.readUrl(`${base}/nothing`)).rejects.toMatchObject({
        name: 'NotFoundError',
        message: `Could not read '${base}/nothing': 404 Not Found`,
      });
      await expect(reader.readUrl(`${base}/boom`)).rejects.toThrow(
        `Could not read '${base}/boom': 500 Internal Server Error`,
      );
    });

    it('should follow redirects only to allowed hosts', async () => {
      const hop = await reader.readUrl(`${base}/hop`);
      expect((await hop.buffer()).toString()).toBe('hello');
      await expect(reader.readUrl(`${base}/away`)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          `Reading from 'http://localhost:${port}/file.txt' is not allowed: no entry of ` +
          `'backend.reading.allow' matches it. To allow it, add { host: 'localhost:${port}' } ` +
          `(optionally with paths: ['/file.txt']) to 'backend.reading.allow' in app-config.yaml.`,
      });
    });
  });

  describe('the allow list', () => {
    it('should refuse hosts that are not listed, naming the URL and the config key', async () => {
      await expect(reader.readUrl('https://evil.example.com/x.yaml')).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "Reading from 'https://evil.example.com/x.yaml' is not allowed: no entry of " +
          "'backend.reading.allow' matches it. To allow it, add { host: 'evil.example.com' } " +
          "(optionally with paths: ['/x.yaml']) to 'backend.reading.allow' in app-config.yaml.",
      });
    });

    it('should match paths by whole segments and ports exactly', async () => {
      await expect(reader.readUrl('https://docs.example.com/publicity/x')).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      await expect(reader.readUrl('http://127.0.0.1/file.txt')).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    });

    it('should refuse URL kinds no reader handles', async () => {
      await expect(reader.readUrl('ftp://127.0.0.1/file.txt')).rejects.toThrow(
        "Reading from 'ftp://127.0.0.1/file.txt' is not allowed: no reader handles 'ftp:' URLs. " +
          "Use http, https or file URLs listed in 'backend.reading.allow', or add a reader " +
          "through 'core.urlReader.factories'.",
      );
    });

    it('should ask readers added by factories first', async () => {
      const custom = DefaultUrlReaderService.create({
        config: new ConfigReader({}),
        logger,
        factories: [
          ({ treeResponseFactory }) => [
            {
              predicate: url => url.host === 'git.example.com',
              reader: {
                readUrl: async url => ({ buffer: async () => Buffer.from(`custom ${url}`) }),
                readTree: async () =>
                  treeResponseFactory.fromFiles({
                    files: [{ path: 'a.txt', content: async () => Buffer.from('a') }],
                    etag: 'e1',
                  }),
                search: async () => ({ files: [], etag: '' }),
              },
            },
          ],
        ],
      });
      const res = await custom.readUrl('https://git.example.com/x');
      expect((await res.buffer()).toString()).toBe('custom https://git.example.com/x');
      const tree = await custom.readTree('https://git.example.com/tree');
      expect((await tree.files()).map(f => f.path)).toEqual(['a.txt']);
      await expect(custom.readUrl('https://other.example.com/x')).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    });

    it('should follow a reloaded allow list, keeping the old one on a bad reload', async () => {
      const errors: string[] = [];
      const recording: LoggerService = { ...logger, error: message => errors.push(message) };
      const config = new RootConfigReader({});
      const watching = DefaultUrlReaderService.create({ config, logger: recording });
      await expect(watching.readUrl(`${base}/file.txt`)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });

      config.update({ backend: { reading: { allow: [{ host: `127.0.0.1:${port}` }] } } });
      const res = await watching.readUrl(`${base}/file.txt`);
      expect((await res.buffer()).toString()).toBe('hello');

      config.update({ backend: { reading: { allow: [{ paths: ['/x'] }] } } });
      expect(errors).toEqual([
        "Ignored the reloaded 'backend.reading.allow': Config 'backend.reading.allow[0]' needs " +
          "'host' (for http and https URLs) or 'path' (for a local folder). The URL reader keeps " +
          'the previous list; fix the entry and save the config again.',
      ]);
      await expect(watching.readUrl(`${base}/file.txt`)).resolves.toBeDefined();
    });

    it('should name the key of a malformed entry', () => {
      expect(() =>
        DefaultUrlReaderService.create({
          config: new ConfigReader({ backend: { reading: { allow: [{ paths: ['/x'] }] } } }),
          logger,
        }),
      ).toThrow(
        "Config 'backend.reading.allow[0]' needs 'host' (for http and https URLs) or 'path' (for a local folder).",
      );
    });
  });

  describe('readTree over http', () => {
    it('should read a tree from a tar.gz archive, with filter, files, dir and archive', async () => {
      const tree = await reader.readTree(`${base}/tree.tar.gz`, {
        filter: path => !path.endsWith('.ts'),
      });
      expect(tree.etag).toBe('"tree-1"');
      const files = await tree.files();
      expect(files.map(f => f.path)).toEqual(['README.md']);
      expect((await files[0].content()).toString()).toBe('hello tree\n');

      const dir = await tree.dir({ targetDir: join(work, 'out-http') });
      expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('hello tree\n');

      const listed: string[] = [];
      const archive = await tree.archive();
      await new Promise<void>((resolve, reject) => {
        const parser = listTar({
          onReadEntry: e => void listed.push(e.path),
        }) as never as NodeJS.WritableStream;
        parser.on('finish', resolve);
        parser.on('error', reject);
        (archive as NodeJS.ReadableStream).pipe(parser);
      });
      expect(listed).toEqual(['README.md']);
    });

    it('should throw NotModifiedError for an unchanged archive', async () => {
      await expect(
        reader.readTree(`${base}/tree.tar.gz`, { etag: '"tree-1"' }),
      ).rejects.toMatchObject({ name: 'NotModifiedError' });
    });

    it('should drop archive entries that would land outside the tree', async () => {
      const tree = await reader.readTree(`${base}/evil.tar`);
      expect(await tree.files()).toEqual([]);
      const dir = await tree.dir({ targetDir: join(work, 'out-evil') });
      expect(await readdir(dir)).toEqual([]);
    });

    it('should reject a response that is not an archive', async () => {
      await expect(reader.readTree(`${base}/not-a-tar`)).rejects.toMatchObject({
        name: 'InputError',
      });
    });
  });

  describe('local files', () => {
    it('should read a local file by path and by file URL, honouring its ETag', async () => {
      const path = join(allowed, 'catalog-info.yaml');
      const byPath = await reader.readUrl(path);
      expect((await byPath.buffer()).toString()).toBe('kind: Component\n');
      const byUrl = await reader.readUrl(pathToFileURL(path).href);
      expect(byUrl.etag).toBe(byPath.etag);
      await expect(reader.readUrl(path, { etag: byPath.etag })).rejects.toMatchObject({
        name: 'NotModifiedError',
      });
      await expect(reader.readUrl(join(allowed, 'nope.yaml'))).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('should refuse local files outside the allowed folders, links included', async () => {
      const secret = join(outside, 'secret.txt');
      await expect(reader.readUrl(secret)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          `Reading from '${secret}' is not allowed: no entry of 'backend.reading.allow' contains ` +
          `that local path. To allow it, add { path: '${outside}' } to 'backend.reading.allow' in app-config.yaml.`,
      });
      const link = join(allowed, 'docs', 'escape.txt');
      await expect(reader.readUrl(link)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          `Reading from '${link}' is not allowed: it is a symbolic link that resolves to ` +
          `'${secret}', outside the folders in 'backend.reading.allow'. To allow it, add ` +
          `{ path: '${outside}' } to 'backend.reading.allow' in app-config.yaml, or point the ` +
          `link at a file inside an allowed folder.`,
      });
      await expect(
        reader.readUrl(join(allowed, '..', 'outside', 'secret.txt')),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('should suggest the folder a link points into, not the one holding it', async () => {
      const files = join(work, 'files');
      await mkdir(files, { recursive: true });
      await symlink('/etc/passwd', join(files, 'link'));
      const linkReader = DefaultUrlReaderService.create({
        config: new ConfigReader({ backend: { reading: { allow: [{ path: files }] } } }),
        logger,
      });
      const error = await linkReader.readUrl(join(files, 'link')).catch(e => e);
      expect(error).toMatchObject({ name: 'NotAllowedError' });
      expect(error.message).toContain("it is a symbolic link that resolves to '/etc/passwd'");
      expect(error.message).toContain("add { path: '/etc' } to 'backend.reading.allow'");
      expect(error.message).not.toContain(`{ path: '${files}' }`);
    });

    it('should read a local tree without following links out of it', async () => {
      const tree = await reader.readTree(join(allowed, 'docs'), {
        filter: path => path.endsWith('.md') || path.endsWith('.txt'),
      });
      const files = await tree.files();
      expect(files.map(f => f.path).sort()).toEqual(['deep/page.md', 'index.md']);
      await expect(
        reader.readTree(join(allowed, 'docs'), { etag: tree.etag }),
      ).rejects.toMatchObject({ name: 'NotModifiedError' });
      const dir = await tree.dir();
      expect(await readFile(join(dir, 'deep', 'page.md'), 'utf8')).toBe('# Deep\n');
      await rm(dir, { recursive: true, force: true });
    });

    it('should search local files with a glob', async () => {
      const result = await reader.search(`${allowed}/**/*.md`);
      expect(result.files.map(f => f.url).sort()).toEqual([
        join(allowed, 'docs', 'deep', 'page.md'),
        join(allowed, 'docs', 'index.md'),
      ]);
      expect((await result.files[0].content()).toString()).toMatch(/^# /);
      const asUrls = await reader.search(pathToFileURL(allowed).href + '/*.yaml');
      expect(asUrls.files.map(f => f.url)).toEqual([
        pathToFileURL(join(allowed, 'catalog-info.yaml')).href,
      ]);
      await expect(reader.search(`${outside}/*.txt`)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    });

    it('should search over http by reading the one URL', async () => {
      const found = await reader.search(`${base}/file.txt`);
      expect(found.files.map(f => f.url)).toEqual([`${base}/file.txt`]);
      expect(found.etag).toBe('"v1"');
      expect((await reader.search(`${base}/missing.txt`)).files).toEqual([]);
    });
  });
});
