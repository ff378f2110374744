import { FULL_CONFIG_KEY } from '@backplane/plugin-api';
import type { Config, ConfigWithFullKey, JsonObject, JsonValue } from '@backplane/plugin-api';

/** The data every view of one configuration reads from; replaced as a whole on reload. */
interface ConfigSource {
  data: JsonObject;
  secrets: ReadonlySet<string>;
}

type PathSegment = string | number;

type Expected = 'string' | 'number' | 'boolean' | 'object' | 'object-array' | 'string-array';

/**
 * The result of a validation: accepted, or rejected with what was wanted (and where, for arrays).
 */
type Check = true | { expected: Expected; at?: PathSegment[]; value?: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the type of a config value the way error messages show it. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value === '') return 'empty-string';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

/** Writes a path as users write config keys: `backend.auth.keys[0].secret`. */
function formatKey(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      out += out ? `.${segment}` : segment;
    }
  }
  return out;
}

function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    return value.filter(item => item !== undefined).map(item => cloneJson(item)) as T;
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value as JsonObject)) {
    if (item !== undefined && item !== null) out[key] = cloneJson(item);
  }
  return out as T;
}

const TRUE_STRINGS = /^(?:true|yes|y|on|1)$/i;
const FALSE_STRINGS = /^(?:false|no|n|off|0)$/i;

/**
 * Reads configuration data with typed getters.
 *
 * Keys are dot-separated paths (`backend.listen.port`). A `null` value counts as absent. A view
 * returned by {@link ConfigReader.getConfig} reads through to the same data, so after a reload of
 * the root configuration every view sees the new values.
 *
 * @example
 * ```ts
 * const config = new ConfigReader({ backend: { baseUrl: 'http://localhost:7007' } });
 * config.getString('backend.baseUrl'); // 'http://localhost:7007'
 * ```
 */
export class ConfigReader implements Config, ConfigWithFullKey {
  #source: ConfigSource;
  #prefix: readonly PathSegment[];

  /**
   * @param data - the configuration as a plain JSON object
   * @param secrets - values that must never be logged; see `createConfigSecretEnumerator`
   */
  constructor(data: JsonObject = {}, secrets: Iterable<string> = []) {
    this.#source = { data, secrets: new Set(secrets) };
    this.#prefix = [];
  }

  /** Replaces the data of this reader and every view made from it. */
  protected replaceData(data: JsonObject, secrets: Iterable<string> = []): void {
    this.#source.data = data;
    this.#source.secrets = new Set(secrets);
  }

  /** Values marked secret when the configuration was loaded (`$env`, `$file`). */
  static secretsOf(config: Config): ReadonlySet<string> {
    return config instanceof ConfigReader ? config.#source.secrets : new Set();
  }

  /** The key from the root of the configuration for `key` read from this view. */
  [FULL_CONFIG_KEY](key?: string): string {
    return formatKey([...this.#prefix, ...this.#parseKey(key)]);
  }

  has(key: string): boolean {
    const value = this.#read(this.#parseKey(key));
    return value !== undefined && value !== null;
  }

  keys(): string[] {
    const value = this.#read([]);
    if (!isObject(value)) return [];
    return Object.keys(value).filter(key => value[key] !== undefined && value[key] !== null);
  }

  get<T = JsonValue>(key?: string): T {
    const value = this.getOptional<T>(key);
    if (value === undefined) throw this.#missing(this.#parseKey(key));
    return value;
  }

  getOptional<T = JsonValue>(key?: string): T | undefined {
    const value = this.#read(this.#parseKey(key));
    if (value === null || value === undefined) return undefined;
    return cloneJson(value) as T;
  }

  getConfig(key: string): Config {
    const config = this.getOptionalConfig(key);
    if (!config) throw this.#missing(this.#parseKey(key));
    return config;
  }

  getOptionalConfig(key: string): Config | undefined {
    const path = this.#parseKey(key);
    const value = this.#validated(path, v => isObject(v) || { expected: 'object' });
    return value === undefined ? undefined : this.#view(path);
  }

  getConfigArray(key: string): Config[] {
    const configs = this.getOptionalConfigArray(key);
    if (!configs) throw this.#missing(this.#parseKey(key));
    return configs;
  }

  getOptionalConfigArray(key: string): Config[] | undefined {
    const path = this.#parseKey(key);
    const value = this.#validated(path, v => {
      if (!Array.isArray(v)) return { expected: 'object-array' };
      const bad = v.findIndex(item => !isObject(item));
      return bad === -1 || { expected: 'object-array', at: [bad], value: v[bad] };
    });
    if (value === undefined) return undefined;
    return (value as JsonValue[]).map((_, index) => this.#view([...path, index]));
  }

  getNumber(key: string): number {
    const value = this.getOptionalNumber(key);
    if (value === undefined) throw this.#missing(this.#parseKey(key));
    return value;
  }

  getOptionalNumber(key: string): number | undefined {
    const path = this.#parseKey(key);
    const value = this.#validated(
      path,
      v => typeof v === 'number' || typeof v === 'string' || { expected: 'number' },
    );
    if (value === undefined || typeof value === 'number') return value as number | undefined;
    const text = String(value).trim();
    const number = text === '' ? NaN : Number(text);
    if (!Number.isFinite(number)) {
      throw this.#typeError(path, 'string that is not a number', 'number');
    }
    return number;
  }

  getBoolean(key: string): boolean {
    const value = this.getOptionalBoolean(key);
    if (value === undefined) throw this.#missing(this.#parseKey(key));
    return value;
  }

  getOptionalBoolean(key: string): boolean | undefined {
    const path = this.#parseKey(key);
    const value = this.#validated(
      path,
      v =>
        typeof v === 'boolean' ||
        typeof v === 'number' ||
        typeof v === 'string' ||
        ({ expected: 'boolean' } as const),
    );
    if (value === undefined || typeof value === 'boolean') return value as boolean | undefined;
    const text = String(value).trim();
    if (TRUE_STRINGS.test(text)) return true;
    if (FALSE_STRINGS.test(text)) return false;
    throw this.#typeError(path, `${typeof value} that is not a boolean`, 'boolean');
  }

  getString(key: string): string {
    const value = this.getOptionalString(key);
    if (value === undefined) throw this.#missing(this.#parseKey(key));
    return value;
  }

  getOptionalString(key: string): string | undefined {
    return this.#validated(
      this.#parseKey(key),
      v => (typeof v === 'string' && v !== '') || { expected: 'string' },
    ) as string | undefined;
  }

  getStringArray(key: string): string[] {
    const value = this.getOptionalStringArray(key);
    if (value === undefined) throw this.#missing(this.#parseKey(key));
    return value;
  }

  getOptionalStringArray(key: string): string[] | undefined {
    const value = this.#validated(this.#parseKey(key), v => {
      if (!Array.isArray(v)) return { expected: 'string-array' };
      const bad = v.findIndex(item => typeof item !== 'string' || item === '');
      return bad === -1 || { expected: 'string-array', at: [bad], value: v[bad] };
    });
    return value === undefined ? undefined : [...(value as string[])];
  }

  #view(path: readonly PathSegment[]): ConfigReader {
    const view = new ConfigReader();
    view.#source = this.#source;
    view.#prefix = [...this.#prefix, ...path];
    return view;
  }

  #parseKey(key: string | undefined): PathSegment[] {
    if (key === undefined || key === '') return [];
    const parts = key.split('.');
    if (parts.some(part => part.trim() === '' || part !== part.trim())) {
      throw new TypeError(
        `Invalid config key '${key}': ` +
          'each dot-separated part must be a non-empty name without spaces',
      );
    }
    return parts;
  }

  /** Walks from the root data through the prefix and `path`; type errors name the full key. */
  #read(path: readonly PathSegment[]): unknown {
    const full = [...this.#prefix, ...path];
    let value: unknown = this.#source.data;
    for (let index = 0; index < full.length; index++) {
      if (value === undefined || value === null) return undefined;
      const segment = full[index];
      if (typeof segment === 'number') {
        value = Array.isArray(value) ? value[segment] : undefined;
      } else if (isObject(value)) {
        value = Object.hasOwn(value, segment) ? value[segment] : undefined;
      } else {
        throw this.#typeError(full.slice(0, index), describeType(value), 'object', true);
      }
    }
    return value;
  }

  #validated(path: PathSegment[], check: (value: unknown) => Check): unknown {
    const value = this.#read(path);
    if (value === undefined || value === null) return undefined;
    const result = check(value);
    if (result !== true) {
      const at = [...path, ...(result.at ?? [])];
      const actual = result.at ? result.value : value;
      throw this.#typeError(at, describeType(actual), result.expected);
    }
    return value;
  }

  #missing(path: readonly PathSegment[]): Error {
    const key = formatKey([...this.#prefix, ...path]);
    return new Error(`Missing required config value at '${key}'; add it to app-config.yaml`);
  }

  #typeError(path: readonly PathSegment[], actual: string, expected: Expected, absolute = false) {
    const key = formatKey(absolute ? path : [...this.#prefix, ...path]);
    return new TypeError(
      `Invalid type in config for key '${key}': expected ${expected}, got ${actual}`,
    );
  }
}
