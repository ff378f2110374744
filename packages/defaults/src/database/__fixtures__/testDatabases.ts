import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseService, JsonObject } from '@backplane/plugin-api';
import { ConfigReader } from '../../rootConfig';
import { databaseServiceFactory } from '../databaseServiceFactory';
import type { DatabaseManager } from '../DatabaseManager';
import {
  createTestLogger,
  createTestRootLifecycle,
  type PluginFactoryInternals,
  type TestLogger,
} from './testServices';

export const pgConnection = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const mysqlConnection = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A database engine (and division mode) the contract suite runs against. */
export interface TestEngine {
  name: string;
  /** True when data outlives the backend (files or a server). */
  persistent: boolean;
  /** True for PostgreSQL and MySQL. */
  server: boolean;
  /** The `backend.database` block for a test whose databases start with `prefix`. */
  config(prefix: string): JsonObject;
  /** A per-plugin connection that selects a database (or file) named after `name`. */
  namedConnection(prefix: string, name: string): JsonObject;
  /**
   * Where the client's tables live: the database it is connected to (the file for SQLite, empty
   * in memory), followed by `/<schema>` in schema mode.
   */
  location(client: Knex): Promise<string>;
  /** What `location` returns for plugin `pluginId` under `config(prefix)`. */
  pluginLocation(prefix: string, pluginId: string): string;
  /** What `location` returns for plugin `pluginId` when its connection is `namedConnection`. */
  namedLocation(prefix: string, name: string, pluginId: string): string;
}

/** Names unique to this test run, so that parallel runs never meet. */
export const runPrefix = `bpt_${randomBytes(3).toString('hex')}_`;
let counter = 0;

/** A fresh database name prefix for one test. */
export function nextPrefix(): string {
  counter += 1;
  return `${runPrefix}${counter}_`;
}

const sqliteRoot = mkdtempSync(join(tmpdir(), 'backplane-db-'));

export const testEngines: TestEngine[] = [
  {
    name: 'SQLite (in memory)',
    persistent: false,
    server: false,
    config: () => ({ client: 'better-sqlite3', connection: ':memory:' }),
    namedConnection: (prefix, name) => ({ filename: sqliteFileName(prefix, name) }),
    location: sqliteFile,
    pluginLocation: () => '',
    namedLocation: sqliteFileName,
  },
  {
    name: 'SQLite (files)',
    persistent: true,
    server: false,
    config: prefix => ({
      client: 'better-sqlite3',
      connection: { directory: join(sqliteRoot, prefix) },
    }),
    namedConnection: (prefix, name) => ({ filename: sqliteFileName(prefix, name) }),
    location: sqliteFile,
    pluginLocation: (prefix, pluginId) => join(sqliteRoot, prefix, `${pluginId}.sqlite`),
    namedLocation: sqliteFileName,
  },
  {
    name: 'PostgreSQL',
    persistent: true,
    server: true,
    config: prefix => ({ client: 'pg', connection: pgConnection, prefix }),
    namedConnection: (prefix, name) => ({ database: `${prefix}${name}` }),
    location: async client => (await client.raw('select current_database() as name')).rows[0].name,
    pluginLocation: (prefix, pluginId) => `${prefix}${pluginId}`,
    namedLocation: (prefix, name) => `${prefix}${name}`,
  },
  {
    // Every plugin in one database, each in a schema named after it.
    name: 'PostgreSQL (a schema per plugin)',
    persistent: true,
    server: true,
    config: prefix => ({
      client: 'pg',
      connection: { ...pgConnection, database: `${prefix}shared` },
      pluginDivisionMode: 'schema',
    }),
    namedConnection: (prefix, name) => ({ database: `${prefix}${name}` }),
    location: async client => {
      const sql = 'select current_database() as name, current_schema() as schema';
      const { name, schema } = (await client.raw(sql)).rows[0];
      return `${name}/${schema}`;
    },
    pluginLocation: (prefix, pluginId) => `${prefix}shared/${pluginId}`,
    namedLocation: (prefix, name, pluginId) => `${prefix}${name}/${pluginId}`,
  },
  {
    name: 'MariaDB',
    persistent: true,
    server: true,
    config: prefix => ({ client: 'mysql2', connection: mysqlConnection, prefix }),
    namedConnection: (prefix, name) => ({ database: `${prefix}${name}` }),
    location: async client => (await client.raw('select database() as name'))[0][0].name,
    pluginLocation: (prefix, pluginId) => `${prefix}${pluginId}`,
    namedLocation: (prefix, name) => `${prefix}${name}`,
  },
];

function sqliteFileName(prefix: string, name: string): string {
  return join(sqliteRoot, `${prefix}${name}.sqlite`);
}

async function sqliteFile(client: Knex): Promise<string> {
  const rows = await client.raw('pragma database_list');
  return rows.find((row: { name: string }) => row.name === 'main').file;
}

/** A backend's worth of database services, built by calling the factory like the runtime does. */
export interface TestDatabaseBackend {
  forPlugin(pluginId: string): Promise<DatabaseService>;
  shutdown(): Promise<void>;
  logger: TestLogger;
}

const started: TestDatabaseBackend[] = [];

/** Calls `createRootContext` once, then `factory` per plugin, with hand-made dependencies. */
export async function startDatabaseBackend(
  database: JsonObject | undefined,
): Promise<TestDatabaseBackend> {
  const config = new ConfigReader(database ? { backend: { database } } : {});
  const rootLifecycle = createTestRootLifecycle();
  const logger = createTestLogger();
  const factory = databaseServiceFactory as unknown as PluginFactoryInternals<
    DatabaseService,
    DatabaseManager
  >;
  const rootDeps = { config, rootLifecycle, rootLogger: logger };
  const context = await factory.createRootContext(rootDeps);
  const backend: TestDatabaseBackend = {
    logger,
    forPlugin: pluginId =>
      factory.factory(
        {
          ...rootDeps,
          logger,
          lifecycle: { addStartupHook() {}, addShutdownHook() {} },
          pluginMetadata: { getId: () => pluginId },
        },
        context,
      ),
    shutdown: () => rootLifecycle.shutdown(),
  };
  started.push(backend);
  return backend;
}

/** Shuts down every backend a test started. */
export async function shutdownDatabaseBackends(): Promise<void> {
  await Promise.all(started.splice(0).map(backend => backend.shutdown()));
}

/** Drops every database and role this run created on the servers, and its SQLite files. */
export async function dropRunDatabases(): Promise<void> {
  const pattern = `${runPrefix.replace(/_/g, '\\_')}%`;

  const pg = knexFactory({ client: 'pg', connection: { ...pgConnection, database: 'postgres' } });
  try {
    const { rows } = await pg.raw('select datname from pg_database where datname like ?', [
      pattern,
    ]);
    for (const { datname } of rows) {
      await pg.raw('drop database if exists ?? with (force)', [datname]);
    }
    const roles = await pg.raw('select rolname from pg_roles where rolname like ?', [pattern]);
    for (const { rolname } of roles.rows) {
      await pg.raw('drop role if exists ??', [rolname]);
    }
  } finally {
    await pg.destroy();
  }

  const mysql = knexFactory({ client: 'mysql2', connection: mysqlConnection });
  try {
    const [rows] = await mysql.raw('show databases like ?', [pattern]);
    for (const row of rows) {
      await mysql.raw('drop database if exists ??', [Object.values(row)[0] as string]);
    }
  } finally {
    await mysql.destroy();
  }

  rmSync(sqliteRoot, { recursive: true, force: true });
}
