import { describe, expect, it } from 'vitest';
import type { JsonObject, LoggerService, RootLoggerService } from '@backplane/plugin-api';
import { RootConfigReader } from '../rootConfig/RootConfigReader';
import { loggerServiceFactory } from '../logger/loggerServiceFactory';
import { createRootLogger, rootLoggerServiceFactory } from './rootLoggerServiceFactory';

function setup(data: JsonObject, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const config = new RootConfigReader(data, ['from-dollar-env']);
  const logger = createRootLogger(config, {
    format: 'json',
    env,
    destination: { write: line => lines.push(line) },
  });
  return { config, logger, json: () => lines.map(line => JSON.parse(line)), lines };
}

describe('createRootLogger', () => {
  it('should take the level from backend.logger.level before LOG_LEVEL', () => {
    const fromConfig = setup({ backend: { logger: { level: 'warn' } } }, { LOG_LEVEL: 'debug' });
    fromConfig.logger.info('hidden');
    fromConfig.logger.warn('shown');

    const fromEnv = setup({}, { LOG_LEVEL: 'DEBUG' });
    fromEnv.logger.debug('shown');

    const byDefault = setup({});
    byDefault.logger.debug('hidden');
    byDefault.logger.info('shown');

    expect(fromConfig.json().map(line => line.message)).toEqual(['shown']);
    expect(fromEnv.json().map(line => line.message)).toEqual(['shown']);
    expect(byDefault.json().map(line => line.message)).toEqual(['shown']);
  });

  it('should name the source of an invalid level', () => {
    expect(() => setup({ backend: { logger: { level: 'loud' } } })).toThrow(
      "Invalid log level 'loud' in config key 'backend.logger.level'; use one of error, warn, info, debug, none",
    );
    expect(() => setup({}, { LOG_LEVEL: 'trace' })).toThrow(
      "Invalid log level 'trace' in environment variable 'LOG_LEVEL'",
    );
  });

  it('should add backend.logger.meta to every line and apply overrides from config', () => {
    const { logger, json } = setup({
      backend: {
        logger: {
          meta: { env: 'staging' },
          overrides: [{ matchers: { plugin: 'catalog' }, level: 'debug' }],
        },
      },
    });

    logger.info('root line');
    logger.child({ plugin: 'catalog' }).debug('catalog line');

    expect(json()).toEqual([
      expect.objectContaining({ env: 'staging', message: 'root line' }),
      expect.objectContaining({ env: 'staging', plugin: 'catalog', message: 'catalog line' }),
    ]);
  });

  it('should redact config secrets, including ones added by a config reload', () => {
    const { config, logger, lines } = setup({
      backend: { auth: { externalAccess: [{ options: { token: 'static-token-1234' } }] } },
    });

    logger.info('values', { a: 'static-token-1234', b: 'from-dollar-env' });
    config.update({ backend: { database: { connection: { password: 'new-password' } } } });
    logger.info('after reload', { c: 'new-password' });

    expect(lines.join('')).not.toMatch(/static-token-1234|from-dollar-env|new-password/);
  });

  it('should use JSON with NODE_ENV=production and readable lines otherwise', () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => lines.push(line) };
    const config = new RootConfigReader({});

    createRootLogger(config, { env: { NODE_ENV: 'production' }, destination }).info('json');
    createRootLogger(config, { env: {}, destination, colorize: false }).info('pretty');

    expect(JSON.parse(lines[0]).message).toBe('json');
    expect(lines[1]).toMatch(/INFO: pretty/);
  });
});

type Factory<T> = { factory(deps: object, ctx?: unknown): Promise<T> };

describe('rootLoggerServiceFactory and loggerServiceFactory', () => {
  it('should give each plugin a child logger carrying its id', async () => {
    const lines: string[] = [];
    const configured = rootLoggerServiceFactory({
      format: 'json',
      destination: { write: line => lines.push(line) },
    });
    const rootLogger = await (configured as unknown as Factory<RootLoggerService>).factory({
      config: new RootConfigReader({}),
    });
    const logger = await (loggerServiceFactory as unknown as Factory<LoggerService>).factory({
      rootLogger,
      pluginMetadata: { getId: () => 'catalog' },
    });

    logger.info('hello');

    expect({ ...rootLoggerServiceFactory }).toMatchObject({
      service: { id: 'core.rootLogger', scope: 'root' },
      deps: { config: { id: 'core.rootConfig' } },
    });
    expect(loggerServiceFactory).toMatchObject({
      service: { id: 'core.logger', scope: 'plugin' },
    });
    expect(JSON.parse(lines[0])).toMatchObject({ plugin: 'catalog', message: 'hello' });
  });
});
