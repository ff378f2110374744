import fs from 'node:fs';
import os from 'node:os';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { registerCleanup } from '../util/registerTestHook';

/** A callback entry of {@link MockDirectoryContent}: creates the entry itself, for example a symlink. */
export type MockDirectoryContentCallback = (context: {
  path: string;
  symlink(target: string): void;
}) => void;

/**
 * A directory tree: a string or Buffer is a file, an object is a directory, a function makes the
 * entry itself.
 */
export interface MockDirectoryContent {
  [name: string]: string | Buffer | MockDirectoryContent | MockDirectoryContentCallback;
}

/** Options for {@link createMockDirectory}. */
export interface MockDirectoryOptions {
  /** Files to create at once. */
  content?: MockDirectoryContent;
  /** Make `os.tmpdir()` return this directory until it is removed. */
  mockOsTmpDir?: boolean;
}

/** Options for {@link MockDirectory.content}. */
export interface MockDirectoryReadOptions {
  /** A sub-directory to read, relative to the mock directory. */
  path?: string;
  /** Read files as text (default) or as Buffers; a function decides per file. */
  shouldReadAsText?: boolean | ((path: string, buffer: Buffer) => boolean);
}

/** A temporary directory for a test, with helpers to fill and read it. */
export interface MockDirectory {
  /** The absolute path of the directory. */
  readonly path: string;
  /** Joins paths onto the directory. */
  resolve(...paths: string[]): string;
  /** Replaces everything in the directory with `content`. */
  setContent(content: MockDirectoryContent): void;
  /** Adds `content`, overwriting files of the same name. */
  addContent(content: MockDirectoryContent): void;
  /** Reads the tree back, or undefined when the path does not exist. */
  content(options?: MockDirectoryReadOptions): MockDirectoryContent | undefined;
  /** Empties the directory. */
  clear(): void;
  /** Deletes the directory (and restores `os.tmpdir` when it was mocked). */
  remove(): void;
}

function write(root: string, content: MockDirectoryContent): void {
  for (const [name, entry] of Object.entries(content)) {
    const path = resolvePath(root, name);
    if (relative(root, path).startsWith('..') || isAbsolute(relative(root, path))) {
      throw new Error(`createMockDirectory: entry '${name}' points outside the mock directory`);
    }
    fs.mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      fs.writeFileSync(path, entry);
    } else if (typeof entry === 'function') {
      entry({ path, symlink: target => fs.symlinkSync(target, path) });
    } else {
      fs.mkdirSync(path, { recursive: true });
      write(path, entry);
    }
  }
}

function read(dir: string, options: MockDirectoryReadOptions): MockDirectoryContent {
  const out: MockDirectoryContent = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out[entry.name] = read(path, options);
    } else if (entry.isSymbolicLink()) {
      const target = fs.readlinkSync(path);
      out[entry.name] = ({ symlink }) => symlink(target);
    } else {
      const buffer = fs.readFileSync(path);
      const asText = options.shouldReadAsText ?? true;
      const text = typeof asText === 'function' ? asText(path, buffer) : asText;
      out[entry.name] = text ? buffer.toString('utf8') : buffer;
    }
  }
  return out;
}

/**
 * Creates a fresh temporary directory for a test, removed after the test file (with a global
 * `afterAll` or `node:test`) or by `remove()`.
 *
 * ```ts
 * const dir = createMockDirectory({ content: { 'app-config.yaml': 'app: {}', docs: { 'a.md': '# A' } } });
 * dir.content(); // { 'app-config.yaml': 'app: {}', docs: { 'a.md': '# A' } }
 * ```
 */
export function createMockDirectory(options: MockDirectoryOptions = {}): MockDirectory {
  const originalTmpdir = os.tmpdir;
  const root = fs.realpathSync(fs.mkdtempSync(join(originalTmpdir(), 'backplane-mock-dir-')));
  let removed = false;

  const directory: MockDirectory = {
    path: root,
    resolve: (...paths) => resolvePath(root, ...paths),
    setContent(content) {
      directory.clear();
      write(root, content);
    },
    addContent: content => write(root, content),
    content(readOptions = {}) {
      const dir = resolvePath(root, readOptions.path ?? '.');
      return fs.existsSync(dir) ? read(dir, readOptions) : undefined;
    },
    clear() {
      for (const name of fs.readdirSync(root)) {
        fs.rmSync(join(root, name), { recursive: true, force: true });
      }
    },
    remove() {
      if (removed) return;
      removed = true;
      if (options.mockOsTmpDir) {
        os.tmpdir = originalTmpdir;
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };

  if (options.mockOsTmpDir) {
    os.tmpdir = () => root;
  }
  if (options.content) {
    write(root, options.content);
  }
  registerCleanup(() => directory.remove());
  return directory;
}
