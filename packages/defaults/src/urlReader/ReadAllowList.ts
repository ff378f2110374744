import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, isChildPath, NotAllowedError } from '@backplane/plugin-api';
import type { Config } from '@backplane/plugin-api';

/** The config key this list is read from. */
export const READING_ALLOW_KEY = 'backend.reading.allow';

interface HostRule {
  /** Lowercased host name, or the suffix after `*.` when `wildcard`. */
  hostname: string;
  wildcard: boolean;
  /** The port the URL must name, or undefined for "no explicit port". */
  port?: string;
  /** Path prefixes, matched by whole segments; empty means any path. */
  paths: string[];
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // A missing path is not a folder; the caller suggests the folder above it.
    return false;
  }
}

function matchesPathPrefix(pathname: string, prefix: string): boolean {
  if (prefix === '/' || pathname === prefix) {
    return true;
  }
  return pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

function parseHostRule(value: string, key: string, paths: string[]): HostRule {
  const text = value.trim().toLowerCase();
  if (text === '' || text.includes('/') || text.includes('@')) {
    throw new InputError(
      `Config '${key}.host' must be a host like 'example.com', '*.example.com' or ` +
        `'localhost:8080', got '${value}'.`,
    );
  }
  const wildcard = text.startsWith('*.');
  const hostPart = wildcard ? text.slice(2) : text;
  const portMatch = /^(.*?)(?::(\d+))?$/.exec(hostPart)!;
  for (const path of paths) {
    if (!path.startsWith('/')) {
      throw new InputError(`Config '${key}.paths' entries must start with '/', got '${path}'.`);
    }
  }
  return { hostname: portMatch[1], wildcard, port: portMatch[2], paths };
}

/**
 * The hosts, URL paths and local folders the URL reader may read, from
 * `backend.reading.allow`. Entries are `{ host, paths? }` for http(s) and `{ path }` for a
 * local folder. Everything not listed is refused.
 */
export class ReadAllowList {
  #hosts: HostRule[];
  #folders: string[];
  readonly #cwd: string;

  private constructor(hosts: HostRule[], folders: string[], cwd: string) {
    this.#hosts = hosts;
    this.#folders = folders;
    this.#cwd = cwd;
  }

  /** Reads `backend.reading.allow`; relative local paths are resolved against `cwd`. */
  static fromConfig(config: Config, cwd: string = process.cwd()): ReadAllowList {
    const { hosts, folders } = ReadAllowList.#parse(config, cwd);
    return new ReadAllowList(hosts, folders, cwd);
  }

  /**
   * Re-reads `backend.reading.allow` from `config`, for a reloaded config. Throws InputError for
   * an invalid entry and then keeps the previous list.
   */
  reload(config: Config): void {
    const { hosts, folders } = ReadAllowList.#parse(config, this.#cwd);
    this.#hosts = hosts;
    this.#folders = folders;
  }

  static #parse(config: Config, cwd: string): { hosts: HostRule[]; folders: string[] } {
    const hosts: HostRule[] = [];
    const folders: string[] = [];
    const entries = config.getOptionalConfigArray(READING_ALLOW_KEY) ?? [];
    entries.forEach((entry, index) => {
      const key = `${READING_ALLOW_KEY}[${index}]`;
      const host = entry.getOptionalString('host');
      const path = entry.getOptionalString('path');
      if (host !== undefined && path !== undefined) {
        throw new InputError(
          `Config '${key}' has both 'host' and 'path'; use one entry per host or local folder.`,
        );
      }
      if (host !== undefined) {
        hosts.push(parseHostRule(host, key, entry.getOptionalStringArray('paths') ?? []));
      } else if (path !== undefined) {
        if (path.trim() === '') {
          throw new InputError(`Config '${key}.path' must name a local folder, got ''.`);
        }
        folders.push(realOrResolved(isAbsolute(path) ? path : resolve(cwd, path)));
      } else {
        throw new InputError(
          `Config '${key}' needs 'host' (for http and https URLs) or 'path' (for a local folder).`,
        );
      }
    });
    return { hosts, folders };
  }

  /** True when the http(s) URL is allowed. */
  allowsUrl(url: URL): boolean {
    const hostname = url.hostname.toLowerCase();
    return this.#hosts.some(rule => {
      const hostOk = rule.wildcard
        ? hostname.endsWith(`.${rule.hostname}`)
        : hostname === rule.hostname;
      if (!hostOk || (rule.port ?? '') !== url.port) {
        return false;
      }
      return rule.paths.length === 0 || rule.paths.some(p => matchesPathPrefix(url.pathname, p));
    });
  }

  /** Throws NotAllowedError, naming the URL and the config key, unless the URL is allowed. */
  assertUrl(url: URL, original: string = url.href): void {
    if (this.allowsUrl(url)) {
      return;
    }
    throw new NotAllowedError(
      `Reading from '${original}' is not allowed: no entry of '${READING_ALLOW_KEY}' matches it. ` +
        `To allow it, add { host: '${url.host}' } (optionally with paths: ['${url.pathname}']) ` +
        `to '${READING_ALLOW_KEY}' in app-config.yaml.`,
    );
  }

  /**
   * Throws NotAllowedError unless the local path lies inside an allowed folder, after symbolic
   * links are resolved. Returns the resolved path.
   */
  assertLocalPath(path: string, original: string = path): string {
    const real = realOrResolved(path);
    if (this.#folders.some(folder => isChildPath(folder, real))) {
      return real;
    }
    const isFolder = isDirectory(real);
    if (real !== resolve(path)) {
      // A symbolic link (of the path or of a folder above it) led outside the allowed folders:
      // the folder to allow is the one of the target, not the one of the link.
      const target = isFolder ? real : dirname(real);
      throw new NotAllowedError(
        `Reading from '${original}' is not allowed: it is a symbolic link that resolves to ` +
          `'${real}', outside the folders in '${READING_ALLOW_KEY}'. To allow it, add ` +
          `{ path: '${target}' } to '${READING_ALLOW_KEY}' in app-config.yaml, or point the ` +
          `link at a file inside an allowed folder.`,
      );
    }
    const suggestion = isFolder ? real : dirname(real);
    throw new NotAllowedError(
      `Reading from '${original}' is not allowed: no entry of '${READING_ALLOW_KEY}' ` +
        `contains that local path. To allow it, add { path: '${suggestion}' } ` +
        `to '${READING_ALLOW_KEY}' in app-config.yaml.`,
    );
  }
}
