import knexFactory, { type Knex } from 'knex';
import type {
  AuthService,
  DatabaseService,
  DiscoveryService,
  JsonObject,
  LoggerService,
} from '@backplane/plugin-api';
import { ConfigReader } from '../../rootConfig';
import { authServiceFactory } from '../authServiceFactory';
import type { ExternalTokenHandler } from '../external/types';
import { JwksCache } from '../JwksCache';

/** A logger that keeps what it was given, for assertions. */
export function createTestLogger(
  lines: Array<{ level: string; message: string; meta?: unknown }> = [],
): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push({ level, message, meta });
  };
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

export function createTestConfig(data: JsonObject = {}) {
  return new ConfigReader(data);
}

/** A database service over an in-memory SQLite knex, or over the given knex. */
export function createTestDatabase(knex?: Knex): DatabaseService & { knex: Knex } {
  const client =
    knex ??
    knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  return { knex: client, getClient: async () => client };
}

/** Discovery where every plugin lives at `<base>/api/<pluginId>`; `base` is read on each call. */
export function createTestDiscovery(
  getBase: () => string,
  getExternalBase = getBase,
): DiscoveryService {
  return {
    getBaseUrl: async pluginId => `${getBase()}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId => `${getExternalBase()}/api/${pluginId}`,
  };
}

/** Builds the auth service of `pluginId` through the real factory. */
export async function createTestAuth(options: {
  pluginId: string;
  discovery: DiscoveryService;
  config?: ReturnType<typeof createTestConfig>;
  database?: DatabaseService;
  logger?: LoggerService;
  jwks?: JwksCache;
  externalTokenHandlers?: ExternalTokenHandler<unknown>[];
}): Promise<AuthService> {
  const factory = authServiceFactory as unknown as {
    factory(deps: object, context: { jwks: JwksCache }): Promise<AuthService>;
  };
  const context = { jwks: options.jwks ?? new JwksCache() };
  return factory.factory(
    {
      config: options.config ?? createTestConfig(),
      logger: options.logger ?? createTestLogger(),
      discovery: options.discovery,
      plugin: { getId: () => options.pluginId },
      database: options.database ?? createTestDatabase(),
      externalTokenHandlers: options.externalTokenHandlers ?? [],
    },
    context,
  );
}
