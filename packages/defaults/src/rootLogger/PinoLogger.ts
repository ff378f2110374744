import pino, { type Logger as Pino } from 'pino';
import type { JsonObject, RootLoggerService } from '@backplane/plugin-api';
import { createRedactor, type Redactor } from './createRedactor';
import { BINDING_KEYS, fitFields } from './fitFields';
import { isError, serializeError } from './serializeError';

/** The levels a logger accepts; `none` turns logging off. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'none';

/** `json`: one JSON object per line. `pretty`: one readable line per entry, for people. */
export type LogFormat = 'json' | 'pretty';

/** Where log lines go: anything with a synchronous `write(string)`, such as a file stream. */
export interface LogDestination {
  write(line: string): unknown;
}

/** A level for the child loggers whose fields match, e.g. `{ matchers: { plugin: 'catalog' } }`. */
export interface LogLevelOverride {
  /** Field name → value; a value is a string, `/regex/`, or an array of them (any may match). */
  matchers: Record<string, string | string[]>;
  level: LogLevel;
}

/** Options for {@link PinoLogger.create}. */
export interface PinoLoggerOptions {
  /** Lowest level written; defaults to `info`. */
  level?: LogLevel;
  /** Fields added to every line. */
  meta?: JsonObject;
  /** Defaults to `json`. */
  format?: LogFormat;
  /** Defaults to standard output. */
  destination?: LogDestination;
  /** Colours in the `pretty` format; defaults to whether standard output is a terminal. */
  colorize?: boolean;
  /** Values to replace by `[REDACTED]` wherever they appear in a line. */
  redactions?: Iterable<string>;
  /** Values never redacted, even when reported as secret. */
  redactAllowlist?: Iterable<string>;
  /** Other levels for child loggers whose fields match. */
  overrides?: LogLevelOverride[];
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'none'];

/** True if `value` is a level {@link PinoLogger} accepts. */
export function isLogLevel(value: unknown): value is LogLevel {
  return LEVELS.includes(value as LogLevel);
}

function toPinoLevel(level: LogLevel): pino.LevelWithSilent {
  return level === 'none' ? 'silent' : level;
}

type Prettify = (line: string) => string;

/** pino-pretty takes tens of milliseconds to load, so only the pretty format loads it. */
function createPrettifier(colorize: boolean): Prettify {
  const { prettyFactory } = require('pino-pretty') as typeof import('pino-pretty');
  return prettyFactory({
    colorize,
    singleLine: true,
    messageKey: 'message',
    timestampKey: 'timestamp',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'plugin',
    messageFormat: '{if plugin}{plugin}: {end}{message}',
  });
}

function matchesValue(actual: unknown, expected: string | string[]): boolean {
  if (typeof actual !== 'string') return false;
  return [expected].flat().some(candidate => {
    if (candidate.length > 1 && candidate.startsWith('/') && candidate.endsWith('/')) {
      return new RegExp(candidate.slice(1, -1)).test(actual);
    }
    return candidate === actual;
  });
}

/** State every logger of one tree shares: redaction and level overrides. */
interface SharedState {
  redactor: Redactor;
  overrides: LogLevelOverride[];
}

/**
 * The default logger: pino underneath, one line per entry, secrets redacted. Meta passed to a
 * log call may be an object of fields or an `Error`, which is written under `error` with its
 * stack; `Error` values inside meta objects are expanded the same way.
 *
 * Every key appears once per line. The logger's own `level`, `timestamp` and `message`, and the
 * fields it already carries (`meta`, then those of each `child()`), win; a field given later under
 * a taken name is kept as `fields.<name>`, except a string `message` field of a log call, which is
 * appended to the message as Backstage's logger does.
 */
export class PinoLogger implements RootLoggerService {
  readonly #pino: Pino;
  readonly #shared: SharedState;
  readonly #fields: JsonObject;

  /** Creates a root logger. */
  static create(options: PinoLoggerOptions = {}): PinoLogger {
    const level = options.level ?? 'info';
    if (!isLogLevel(level)) {
      throw new Error(`Invalid log level '${String(level)}'; use one of ${LEVELS.join(', ')}`);
    }
    const shared: SharedState = {
      redactor: createRedactor(options.redactAllowlist),
      overrides: options.overrides ?? [],
    };
    shared.redactor.add(options.redactions ?? []);

    const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
    const format = options.format ?? 'json';
    const prettify =
      format === 'pretty'
        ? createPrettifier(options.colorize ?? (!options.destination && !!process.stdout.isTTY))
        : undefined;
    const sink = {
      write(line: string) {
        const redacted = shared.redactor.redact(line);
        destination.write(prettify ? prettify(redacted) : redacted);
      },
    };

    const meta = options.meta ? fitFields({ ...options.meta }, {}, BINDING_KEYS) : undefined;
    const instance = pino(
      {
        level: toPinoLevel(level),
        base: meta ?? null,
        messageKey: 'message',
        timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
        formatters: { level: label => ({ level: label }) },
      },
      sink,
    );
    return new PinoLogger(instance, shared, { ...meta });
  }

  private constructor(instance: Pino, shared: SharedState, fields: JsonObject) {
    this.#pino = instance;
    this.#shared = shared;
    this.#fields = fields;
  }

  error(message: string, meta?: Error | JsonObject | unknown): void {
    this.#write('error', message, meta);
  }

  warn(message: string, meta?: Error | JsonObject | unknown): void {
    this.#write('warn', message, meta);
  }

  info(message: string, meta?: Error | JsonObject | unknown): void {
    this.#write('info', message, meta);
  }

  debug(message: string, meta?: Error | JsonObject | unknown): void {
    this.#write('debug', message, meta);
  }

  /**
   * A logger that adds `meta` to every line; a matching level override applies to it. Fields this
   * logger carries already keep their value; a different one in `meta` is kept as `fields.<name>`.
   */
  child(meta: JsonObject): PinoLogger {
    const bindings = fitFields(normalizeMeta(meta) ?? {}, this.#fields, BINDING_KEYS);
    const fields = { ...this.#fields, ...bindings };
    const override = this.#shared.overrides.find(candidate =>
      Object.entries(candidate.matchers).every(([key, expected]) =>
        matchesValue(fields[key], expected),
      ),
    );
    const options = override ? { level: toPinoLevel(override.level) } : undefined;
    return new PinoLogger(this.#pino.child(bindings, options), this.#shared, fields);
  }

  /** Adds values to replace by `[REDACTED]` in every line of this logger and its relatives. */
  addRedactions(values: Iterable<string>): void {
    this.#shared.redactor.add(values);
  }

  #write(level: 'error' | 'warn' | 'info' | 'debug', message: string, meta: unknown): void {
    if (!this.#pino.isLevelEnabled(level)) return;
    let fields = normalizeMeta(meta);
    let text = typeof message === 'string' ? message : String(message);
    if (typeof fields?.message === 'string') {
      const { message: extra, ...rest } = fields;
      if (extra) text = `${text} ${extra}`;
      fields = rest;
    }
    if (fields) this.#pino[level](fitFields(fields, this.#fields), text);
    else this.#pino[level](text);
  }
}

/** Turns log meta into plain fields; errors become `{ name, message, stack, … }`. */
function normalizeMeta(meta: unknown): JsonObject | undefined {
  if (meta === undefined || meta === null) return undefined;
  if (isError(meta)) return { error: serializeError(meta) };
  if (typeof meta !== 'object' || Array.isArray(meta)) return { meta: meta as JsonObject };
  let out: JsonObject | undefined;
  for (const [key, value] of Object.entries(meta)) {
    if (isError(value)) {
      out ??= { ...(meta as JsonObject) };
      out[key] = serializeError(value);
    }
  }
  return out ?? (meta as JsonObject);
}
