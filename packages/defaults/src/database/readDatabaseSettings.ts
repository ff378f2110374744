import { join, isAbsolute } from 'node:path';
import type { Config } from '@backplane/plugin-api';
import { mergeKnexConfig } from './mergeKnexConfig';
import { parseConnectionString } from './parseConnectionString';

/** The database engines Backplane connects to. */
export type DatabaseEngine = 'sqlite' | 'pg' | 'mysql';

const engineByClient: Readonly<Record<string, DatabaseEngine>> = {
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
  pg: 'pg',
  mysql2: 'mysql',
  mysql: 'mysql',
};

/** The values accepted in `backend.database.client`. */
export const supportedDatabaseClients = Object.freeze(Object.keys(engineByClient));

const rootKey = 'backend.database';
const defaultPrefix = 'backstage_plugin_';
const maxNameLength: Record<DatabaseEngine, number> = { sqlite: Infinity, pg: 63, mysql: 64 };

/** Everything needed to open the database of one plugin, resolved from `backend.database`. */
export interface PluginDatabaseSettings {
  pluginId: string;
  engine: DatabaseEngine;
  /** The `client` value as configured. */
  clientName: string;
  /** The config key of the connection block in effect, for messages. */
  connectionKey: string;
  /** The config key of the `ensureExists` flag in effect, for messages. */
  ensureExistsKey: string;
  /** `backend.database.knexConfig` merged with the plugin's `knexConfig`. */
  knexConfig: Record<string, unknown>;
  /** The driver's connection object, including the plugin's database name. */
  connection: Record<string, unknown>;
  divisionMode: 'database' | 'schema';
  /**
   * PostgreSQL and MySQL: the database to open (absent in schema mode when none is configured,
   * so the server's default is used). SQLite: the file name, or `:memory:`.
   */
  databaseName?: string;
  /** PostgreSQL schema mode: the plugin's schema. */
  schemaName?: string;
  ensureExists: boolean;
  ensureSchemaExists: boolean;
  role?: string;
  skipMigrations: boolean;
}

/**
 * Reads `backend.database` for one plugin: the base settings, overridden by
 * `backend.database.plugin.<pluginId>`. Throws errors that name the config key and the fix.
 */
export function readDatabaseSettings(config: Config, pluginId: string): PluginDatabaseSettings {
  const pluginKey = `${rootKey}.plugin.${pluginId}`;
  const configured = config.has(rootKey);

  // Client: the plugin's own, else the base one, else embedded SQLite.
  const baseClient = configured ? readClient(config, `${rootKey}.client`, true) : 'better-sqlite3';
  const pluginClient = readClient(config, `${pluginKey}.client`, false);
  const clientName = pluginClient ?? baseClient!;
  const engine = engineByClient[clientName];
  const baseEngine = engineByClient[baseClient!];
  const clientOverridden = engine !== baseEngine;

  const divisionMode = readDivisionMode(config, baseEngine);

  // Connection: the base connection applies only when the plugin keeps the base engine.
  const baseConnection = configured
    ? readConnection(config, `${rootKey}.connection`, baseEngine)
    : { filename: ':memory:' };
  const pluginConnection = readConnection(config, `${pluginKey}.connection`, engine);
  const hasPluginConnection = config.has(`${pluginKey}.connection`);
  const connectionKey = hasPluginConnection ? `${pluginKey}.connection` : `${rootKey}.connection`;

  const knexConfig = mergeKnexConfig(
    readObject(config, `${rootKey}.knexConfig`),
    readObject(config, `${pluginKey}.knexConfig`),
  );

  const ensureExistsKey = config.has(`${pluginKey}.ensureExists`)
    ? `${pluginKey}.ensureExists`
    : `${rootKey}.ensureExists`;
  const common = {
    pluginId,
    engine,
    clientName,
    connectionKey,
    ensureExistsKey,
    knexConfig,
    ensureExists:
      config.getOptionalBoolean(`${pluginKey}.ensureExists`) ??
      config.getOptionalBoolean(`${rootKey}.ensureExists`) ??
      true,
    ensureSchemaExists:
      config.getOptionalBoolean(`${pluginKey}.ensureSchemaExists`) ??
      config.getOptionalBoolean(`${rootKey}.ensureSchemaExists`) ??
      false,
    role:
      config.getOptionalString(`${pluginKey}.role`) ?? config.getOptionalString(`${rootKey}.role`),
    skipMigrations:
      config.getOptionalBoolean(`${pluginKey}.skipMigrations`) ??
      config.getOptionalBoolean(`${rootKey}.skipMigrations`) ??
      false,
  };

  if (engine === 'sqlite') {
    const connection = resolveSqliteConnection({
      pluginId,
      base: clientOverridden ? {} : baseConnection,
      plugin: pluginConnection,
      baseKey: `${rootKey}.connection`,
      pluginKey: `${pluginKey}.connection`,
    });
    return {
      ...common,
      connection,
      divisionMode: 'database',
      databaseName: connection.filename as string,
    };
  }

  // Server engines: the base database name is shared only in schema mode.
  const pluginDivisionMode = engine === 'pg' ? divisionMode : 'database';
  const base = { ...(clientOverridden ? {} : baseConnection) };
  if (pluginDivisionMode === 'database') {
    delete base.database;
  }
  const connection: Record<string, unknown> = { ...base, ...pluginConnection };
  if (engine === 'pg') {
    rejectUnsupportedPgConnectionType(connection, connectionKey);
    connection.application_name ??= `backplane_plugin_${pluginId}`;
  }

  const prefix = config.getOptionalString(`${rootKey}.prefix`) || defaultPrefix;
  const databaseName =
    (connection.database as string | undefined) ??
    (pluginDivisionMode === 'database' ? `${prefix}${pluginId}` : undefined);
  if (databaseName !== undefined) {
    connection.database = databaseName;
    checkNameLength(engine, 'database', databaseName, pluginId, `${rootKey}.prefix`);
  }

  let schemaName: string | undefined;
  if (pluginDivisionMode === 'schema') {
    schemaName = `${config.getOptionalString(`${rootKey}.schemaPrefix`) ?? ''}${pluginId}`;
    checkNameLength(engine, 'schema', schemaName, pluginId, `${rootKey}.schemaPrefix`);
  }

  return {
    ...common,
    connection,
    divisionMode: pluginDivisionMode,
    databaseName,
    schemaName,
  };
}

/** Reads and checks the base `backend.database` block once, so mistakes surface at startup. */
export function checkBaseDatabaseConfig(config: Config): void {
  if (!config.has(rootKey)) {
    return;
  }
  const engine = engineByClient[readClient(config, `${rootKey}.client`, true)!];
  readDivisionMode(config, engine);
  readConnection(config, `${rootKey}.connection`, engine);
}

function readClient(config: Config, key: string, required: boolean): string | undefined {
  const client = config.getOptionalString(key);
  const valid = supportedDatabaseClients.map(c => `'${c}'`).join(', ');
  if (client === undefined) {
    if (required) {
      throw new Error(
        `Missing database client in '${key}': set it to one of ${valid}, or remove ` +
          `'${rootKey}' to use an in-memory SQLite database per plugin.`,
      );
    }
    return undefined;
  }
  if (!(client in engineByClient)) {
    throw new Error(`Unsupported database client '${client}' in '${key}': use one of ${valid}.`);
  }
  return client;
}

function readDivisionMode(config: Config, baseEngine: DatabaseEngine): 'database' | 'schema' {
  const key = `${rootKey}.pluginDivisionMode`;
  const mode = config.getOptionalString(key) ?? 'database';
  if (mode !== 'database' && mode !== 'schema') {
    throw new Error(`Invalid '${key}' value '${mode}': use 'database' or 'schema'.`);
  }
  if (mode === 'schema' && baseEngine !== 'pg') {
    throw new Error(
      `'${key}: schema' needs PostgreSQL ('${rootKey}.client: pg'); with ` +
        `'${engineToClient(baseEngine)}' each plugin gets its own database, so remove the setting.`,
    );
  }
  return mode;
}

function engineToClient(engine: DatabaseEngine): string {
  return Object.keys(engineByClient).find(c => engineByClient[c] === engine)!;
}

function readConnection(
  config: Config,
  key: string,
  engine: DatabaseEngine,
): Record<string, unknown> {
  const value = config.getOptional<unknown>(key);
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value === 'string') {
    return engine === 'sqlite' ? { filename: value } : parseConnectionString(engine, value, key);
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return { ...(value as Record<string, unknown>) };
  }
  throw new Error(
    `Invalid '${key}': give the connection as a string or as an object, not as ${typeof value}.`,
  );
}

function readObject(config: Config, key: string): Record<string, unknown> | undefined {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `Invalid '${key}': it must be an object of Knex settings, like { pool: { max: 5 } }.`,
    );
  }
  return value as Record<string, unknown>;
}

function resolveSqliteConnection(options: {
  pluginId: string;
  base: Record<string, unknown>;
  plugin: Record<string, unknown>;
  baseKey: string;
  pluginKey: string;
}): Record<string, unknown> {
  const { pluginId, base, plugin, baseKey, pluginKey } = options;
  if (base.filename !== undefined && base.filename !== ':memory:') {
    throw new Error(
      `Invalid '${baseKey}': a file name there would make every plugin share one SQLite file. ` +
        `Use '${baseKey}.directory' for one file per plugin, or set a file name for a single ` +
        `plugin in '${pluginKey}'.`,
    );
  }

  const merged = { ...base, ...plugin };
  const directory = merged.directory as string | undefined;
  delete merged.directory;

  let filename: string;
  if (typeof plugin.filename === 'string') {
    filename =
      plugin.filename === ':memory:' || !directory || isAbsolute(plugin.filename)
        ? plugin.filename
        : join(directory, plugin.filename);
  } else if (directory) {
    filename = join(directory, `${pluginId}.sqlite`);
  } else {
    filename = ':memory:';
  }
  return { ...merged, filename };
}

function rejectUnsupportedPgConnectionType(connection: Record<string, unknown>, key: string) {
  const type = connection.type;
  if (type !== undefined && type !== 'default') {
    throw new Error(
      `Unsupported '${key}.type' value '${String(type)}': Backplane connects with host, port, ` +
        `user and password only; remove 'type' and give those settings.`,
    );
  }
  delete connection.type;
}

function checkNameLength(
  engine: DatabaseEngine,
  what: 'database' | 'schema',
  name: string,
  pluginId: string,
  prefixKey: string,
) {
  const limit = maxNameLength[engine];
  if (Buffer.byteLength(name, 'utf8') <= limit) {
    return;
  }
  const fix =
    what === 'database'
      ? `use a shorter '${prefixKey}', or set the name in ` +
        `'${rootKey}.plugin.${pluginId}.connection.database'.`
      : `use a shorter '${prefixKey}'.`;
  throw new Error(
    `The ${what} name '${name}' of plugin '${pluginId}' is longer than the ${limit} bytes ` +
      `${engine === 'pg' ? 'PostgreSQL' : 'MySQL'} allows: ${fix}`,
  );
}
