import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { JsonObject, RootConfigService, ServiceFactory } from '@backplane/plugin-api';
import type { RootLoggerService } from '@backplane/plugin-api';
import { createConfigSecretEnumerator } from '../rootConfig/createConfigSecretEnumerator';
import {
  isLogLevel,
  PinoLogger,
  type LogDestination,
  type LogFormat,
  type LogLevel,
  type LogLevelOverride,
} from './PinoLogger';

/** Options for {@link rootLoggerServiceFactory}. */
export interface RootLoggerFactoryOptions {
  /** Defaults to `json` when `NODE_ENV=production`, else `pretty`. */
  format?: LogFormat;
  /** Defaults to standard output. */
  destination?: LogDestination;
  /** Colours in the `pretty` format; defaults to whether standard output is a terminal. */
  colorize?: boolean;
  /** Environment read for `LOG_LEVEL` and `NODE_ENV`; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

function readLevel(config: RootConfigService, env: RootLoggerFactoryOptions['env']): LogLevel {
  const fromConfig = config.getOptionalString('backend.logger.level');
  const level = (fromConfig ?? env?.LOG_LEVEL ?? 'info').toLowerCase();
  if (!isLogLevel(level)) {
    const source = fromConfig
      ? "config key 'backend.logger.level'"
      : "environment variable 'LOG_LEVEL'";
    throw new Error(
      `Invalid log level '${level}' in ${source}; use one of error, warn, info, debug, none`,
    );
  }
  return level;
}

function readOverrides(config: RootConfigService): LogLevelOverride[] {
  return (config.getOptionalConfigArray('backend.logger.overrides') ?? []).map((entry, index) => {
    const level = entry.getString('level');
    if (!isLogLevel(level)) {
      throw new Error(
        `Invalid log level '${level}' in config key 'backend.logger.overrides[${index}].level'; use one of error, warn, info, debug, none`,
      );
    }
    const matchers = entry.getConfig('matchers');
    const record: Record<string, string | string[]> = {};
    for (const key of matchers.keys()) {
      const value = matchers.get(key);
      record[key] = Array.isArray(value) ? matchers.getStringArray(key) : matchers.getString(key);
    }
    return { level, matchers: record };
  });
}

/**
 * Creates the root logger from `backend.logger` config (`level`, `meta`, `overrides`,
 * `redactAllowlist`) and `LOG_LEVEL`, redacting the secrets of the configuration and keeping up
 * with config reloads.
 */
export function createRootLogger(
  config: RootConfigService,
  options: RootLoggerFactoryOptions = {},
): PinoLogger {
  const env = options.env ?? process.env;
  const format = options.format ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');
  const enumerateSecrets = createConfigSecretEnumerator();

  const logger = PinoLogger.create({
    level: readLevel(config, env),
    meta: config.getOptionalConfig('backend.logger.meta')?.get<JsonObject>(),
    format,
    destination: options.destination,
    colorize: options.colorize,
    redactions: enumerateSecrets(config),
    redactAllowlist: config.getOptionalStringArray('backend.logger.redactAllowlist'),
    overrides: readOverrides(config),
  });
  config.subscribe?.(() => logger.addRedactions(enumerateSecrets(config)));
  return logger;
}

function makeFactory(options?: RootLoggerFactoryOptions) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: { config: coreServices.rootConfig },
    factory: ({ config }) => createRootLogger(config, options),
  });
}

/** The type of {@link rootLoggerServiceFactory}: a factory that can also be called with options. */
export type RootLoggerServiceFactory = ServiceFactory<RootLoggerService, 'root', 'singleton'> &
  ((options?: RootLoggerFactoryOptions) => ServiceFactory<RootLoggerService, 'root', 'singleton'>);

/**
 * The default `core.rootLogger` factory. Call it with {@link RootLoggerFactoryOptions} to choose
 * the format or destination:
 *
 * @example
 * ```ts
 * backend.add(rootLoggerServiceFactory({ format: 'json' }));
 * ```
 */
export const rootLoggerServiceFactory: RootLoggerServiceFactory = Object.assign(
  (options?: RootLoggerFactoryOptions) => makeFactory(options),
  makeFactory(),
);
