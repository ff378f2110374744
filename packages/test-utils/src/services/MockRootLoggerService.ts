import type { JsonObject, RootLoggerService } from '@backplane/plugin-api';

/** How much a mock logger prints: nothing (`none`) or messages of this level and more severe. */
export type MockLogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

/** Options for {@link MockRootLoggerService}. */
export interface MockRootLoggerOptions {
  /** Default: the `LOG_LEVEL` environment variable when it names a level, else `none`. */
  level?: MockLogLevel;
  /** Where lines go; default standard error. */
  write?(line: string): void;
}

const SEVERITY: Record<MockLogLevel, number> = { none: -1, error: 0, warn: 1, info: 2, debug: 3 };

/** Reads `LOG_LEVEL` as a mock log level; anything else means `none`. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): MockLogLevel {
  const level = env.LOG_LEVEL?.toLowerCase();
  return level && level in SEVERITY ? (level as MockLogLevel) : 'none';
}

function formatMeta(meta: unknown, fields: JsonObject): string {
  const all: Record<string, unknown> = { ...fields };
  if (meta instanceof Error) {
    all.error = { name: meta.name, message: meta.message, stack: meta.stack };
  } else if (meta && typeof meta === 'object') {
    Object.assign(all, meta);
  }
  return Object.keys(all).length > 0 ? ` ${JSON.stringify(all)}` : '';
}

/**
 * A root logger for tests: silent by default, or one readable line per message at the chosen
 * level, with the fields of `child()` loggers included.
 */
export class MockRootLoggerService implements RootLoggerService {
  readonly #severity: number;
  readonly #fields: JsonObject;
  readonly #write: (line: string) => void;
  readonly #options: MockRootLoggerOptions;

  constructor(options: MockRootLoggerOptions = {}, fields: JsonObject = {}) {
    this.#severity = SEVERITY[options.level ?? logLevelFromEnv()] ?? -1;
    this.#fields = fields;
    this.#write = options.write ?? (line => process.stderr.write(line));
    this.#options = options;
  }

  error(message: string, meta?: unknown): void {
    this.#log('error', message, meta);
  }

  warn(message: string, meta?: unknown): void {
    this.#log('warn', message, meta);
  }

  info(message: string, meta?: unknown): void {
    this.#log('info', message, meta);
  }

  debug(message: string, meta?: unknown): void {
    this.#log('debug', message, meta);
  }

  child(meta: JsonObject): MockRootLoggerService {
    return new MockRootLoggerService(this.#options, { ...this.#fields, ...meta });
  }

  #log(level: Exclude<MockLogLevel, 'none'>, message: string, meta: unknown): void {
    if (SEVERITY[level] > this.#severity) {
      return;
    }
    this.#write(
      `${new Date().toISOString()} ${level} ${message}${formatMeta(meta, this.#fields)}\n`,
    );
  }
}
