import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigReader } from '../rootConfig';
import { DatabaseManager } from './DatabaseManager';
import {
  dropRunDatabases,
  mysqlConnection,
  nextPrefix,
  pgConnection,
  runPrefix,
  shutdownDatabaseBackends,
  startDatabaseBackend,
} from './__fixtures__/testDatabases';

const migrationsDirectory = join(__dirname, '__fixtures__', 'migrations');

afterEach(shutdownDatabaseBackends);
afterAll(dropRunDatabases);

describe('DatabaseManager', () => {
  describe('with SQLite', () => {
    it('should give each plugin a private in-memory database when backend.database is absent', async () => {
      const backend = await startDatabaseBackend(undefined);
      const catalog = await (await backend.forPlugin('catalog')).getClient();
      const search = await (await backend.forPlugin('search')).getClient();

      expect(catalog.client.config.client).toBe('better-sqlite3');
      await catalog.schema.createTable('things', table => table.string('name'));
      expect(await search.schema.hasTable('things')).toBe(false);

      // The in-memory database survives idle time: it lives on one connection that is kept.
      expect(catalog.client.pool.min).toBe(1);
      expect(catalog.client.pool.max).toBe(1);
    });

    it('should store one file per plugin under connection.directory, creating the directory', async () => {
      const root = await mkdtemp(join(tmpdir(), 'backplane-sqlite-'));
      const directory = join(root, 'nested', 'data');
      try {
        const backend = await startDatabaseBackend({
          client: 'better-sqlite3',
          connection: { directory },
        });
        const client = await (await backend.forPlugin('catalog')).getClient();
        await client.schema.createTable('things', table => table.string('name'));

        expect(existsSync(join(directory, 'catalog.sqlite'))).toBe(true);
        expect(existsSync(join(directory, 'search.sqlite'))).toBe(false);
      } finally {
        await shutdownDatabaseBackends();
        await rm(root, { recursive: true, force: true });
      }
    });

    it('should accept the client name sqlite3 and use better-sqlite3 for it', async () => {
      const backend = await startDatabaseBackend({ client: 'sqlite3', connection: ':memory:' });
      const client = await (await backend.forPlugin('catalog')).getClient();

      expect(client.client.config.client).toBe('better-sqlite3');
      expect((await client.raw('select 1 as one'))[0]).toEqual({ one: 1 });
    });

    it('should refuse a shared file name in the base connection', () => {
      const config = new ConfigReader({
        backend: { database: { client: 'better-sqlite3', connection: 'shared.sqlite' } },
      });

      expect(() => DatabaseManager.fromConfig(config).forPlugin('catalog')).toThrow(
        "Invalid 'backend.database.connection': a file name there would make every plugin " +
          "share one SQLite file. Use 'backend.database.connection.directory' for one file per " +
          'plugin, or set a file name for a single plugin in ' +
          "'backend.database.plugin.catalog.connection'.",
      );
    });

    it('should name the plugin and the file when the file cannot be opened', async () => {
      const root = await mkdtemp(join(tmpdir(), 'backplane-sqlite-'));
      const notADirectory = join(root, 'file');
      await writeFile(notADirectory, '');
      const filename = join(notADirectory, 'catalog.sqlite');
      try {
        const backend = await startDatabaseBackend({
          client: 'better-sqlite3',
          connection: ':memory:',
          plugin: { catalog: { connection: { filename } } },
        });
        const database = await backend.forPlugin('catalog');

        await expect(database.getClient()).rejects.toThrow(
          `Failed to open the database '${filename}' for plugin 'catalog': SQLite could not ` +
            `open '${filename}' (EEXIST: file already exists, mkdir '${notADirectory}'). ` +
            `Check that the directory in 'backend.database.plugin.catalog.connection' exists or ` +
            `can be created, and is writable.`,
        );
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  });

  describe('with PostgreSQL', () => {
    it('should give each plugin its own schema in one database with pluginDivisionMode schema', async () => {
      const prefix = nextPrefix();
      const shared = `${prefix}shared`;
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: { ...pgConnection, database: shared },
        pluginDivisionMode: 'schema',
      });
      const catalog = await (await backend.forPlugin('catalog')).getClient();
      const search = await (await backend.forPlugin('search-index')).getClient();

      // Both plugins run the same migrations; each gets its own tables and migration log.
      await catalog.migrate.latest({ directory: migrationsDirectory });
      await search.migrate.latest({ directory: migrationsDirectory });
      await catalog('lists').insert({ name: 'catalog list' });

      expect(await search('lists').select('name')).toEqual([]);
      const where = async (client: typeof catalog) =>
        (await client.raw('select current_database() as db, current_schema() as schema')).rows[0];
      expect(await where(catalog)).toEqual({ db: shared, schema: 'catalog' });
      expect(await where(search)).toEqual({ db: shared, schema: 'search-index' });
    });

    it("should put 'schemaPrefix' in front of each schema name", async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: { ...pgConnection, database: `${prefix}shared` },
        pluginDivisionMode: 'schema',
        schemaPrefix: 'bp_',
      });
      const client = await (await backend.forPlugin('catalog')).getClient();

      expect((await client.raw('select current_schema() as s')).rows[0].s).toBe('bp_catalog');
    });

    it('should take the connection as a URL and give the plugin its own database', async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: 'postgresql://postgres@127.0.0.1:5432/ignored?application_name=from-url',
        prefix,
      });
      const client = await (await backend.forPlugin('catalog')).getClient();

      const row = (
        await client.raw(
          "select current_database() as db, current_setting('application_name') as app",
        )
      ).rows[0];
      expect(row).toEqual({ db: `${prefix}catalog`, app: 'from-url' });
    });

    it("should connect as the configured 'role'", async () => {
      const prefix = nextPrefix();
      const role = `${prefix}role`;
      const admin = knexFactory({
        client: 'pg',
        connection: { ...pgConnection, database: 'postgres' },
      });
      await admin.raw('create role ?? createdb', [role]);
      await admin.destroy();

      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: pgConnection,
        prefix,
        plugin: { catalog: { role } },
      });
      const catalog = await (await backend.forPlugin('catalog')).getClient();
      const search = await (await backend.forPlugin('search')).getClient();

      expect((await catalog.raw('select current_user as u')).rows[0].u).toBe(role);
      expect((await search.raw('select current_user as u')).rows[0].u).toBe('postgres');
    });

    it('should say how to fix a database that does not exist when ensureExists is false', async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: pgConnection,
        prefix,
        ensureExists: false,
      });
      const database = await backend.forPlugin('catalog');

      await expect(database.getClient()).rejects.toThrow(
        `Failed to open the database '${prefix}catalog' for plugin 'catalog': the database ` +
          `does not exist on PostgreSQL at 127.0.0.1:5432 (3D000: database "${prefix}catalog" ` +
          `does not exist). Create it, or set 'backend.database.ensureExists' to true so that ` +
          `Backplane creates it (the user then needs the right to create databases).`,
      );
    });

    it('should name the host when the server cannot be reached', async () => {
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: { ...pgConnection, port: 1 },
        prefix: nextPrefix(),
      });
      const database = await backend.forPlugin('catalog');

      await expect(database.getClient()).rejects.toThrow(
        new RegExp(
          `^Failed to create the database '${runPrefix}\\d+_catalog' for plugin 'catalog': ` +
            `cannot reach PostgreSQL at 127.0.0.1:1 \\(ECONNREFUSED: .*\\)\\. Check the host ` +
            `and port in 'backend.database.connection' and that the server is running\\.$`,
        ),
      );
    });

    it('should name the user when the login is rejected', async () => {
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: pgConnection,
        prefix: nextPrefix(),
        plugin: { catalog: { connection: { user: 'nobody_here' } } },
      });
      const database = await backend.forPlugin('catalog');

      await expect(database.getClient()).rejects.toThrow(
        "PostgreSQL at 127.0.0.1:5432 rejected the login of user 'nobody_here' (28000: role " +
          '"nobody_here" does not exist). Check the user and password in ' +
          "'backend.database.plugin.catalog.connection'.",
      );
    });
  });

  describe('with MariaDB', () => {
    it('should take the connection as a URL and give the plugin its own database', async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'mysql',
        connection: 'mysql://root@127.0.0.1:3306/ignored',
        prefix,
      });
      const client = await (await backend.forPlugin('catalog')).getClient();

      expect((await client.raw('select database() as db'))[0][0].db).toBe(`${prefix}catalog`);
    });

    it('should name the user when the password is wrong', async () => {
      const backend = await startDatabaseBackend({
        client: 'mysql2',
        connection: { ...mysqlConnection, password: 'wrong' },
        prefix: nextPrefix(),
      });
      const database = await backend.forPlugin('catalog');

      await expect(database.getClient()).rejects.toThrow(
        /MySQL at 127\.0\.0\.1:3306 rejected the login of user 'root' \(ER_ACCESS_DENIED_ERROR: .*\)\. Check the user and password in 'backend\.database\.connection'\.$/,
      );
    });

    it('should say how to fix a database that does not exist when ensureExists is false', async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'mysql2',
        connection: mysqlConnection,
        prefix,
        plugin: { catalog: { ensureExists: false } },
      });
      const database = await backend.forPlugin('catalog');

      await expect(database.getClient()).rejects.toThrow(
        `Failed to open the database '${prefix}catalog' for plugin 'catalog': the database ` +
          `does not exist on MySQL at 127.0.0.1:3306 (ER_BAD_DB_ERROR: Unknown database ` +
          `'${prefix}catalog'). Create it, or set 'backend.database.plugin.catalog.ensureExists' ` +
          `to true so that Backplane creates it (the user then needs the right to create databases).`,
      );
    });

    it('should refuse pluginDivisionMode schema', () => {
      const config = new ConfigReader({
        backend: {
          database: { client: 'mysql2', connection: mysqlConnection, pluginDivisionMode: 'schema' },
        },
      });

      expect(() => DatabaseManager.fromConfig(config)).toThrow(
        "'backend.database.pluginDivisionMode: schema' needs PostgreSQL " +
          "('backend.database.client: pg'); with 'mysql2' each plugin gets its own database, so " +
          'remove the setting.',
      );
    });
  });

  describe('with a client per plugin', () => {
    it('should let one plugin use SQLite while the others use PostgreSQL', async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend({
        client: 'pg',
        connection: pgConnection,
        prefix,
        plugin: { search: { client: 'better-sqlite3', connection: ':memory:' } },
      });
      const catalog = await (await backend.forPlugin('catalog')).getClient();
      const search = await (await backend.forPlugin('search')).getClient();

      expect(catalog.client.config.client).toBe('pg');
      expect(search.client.config.client).toBe('better-sqlite3');
    });
  });

  describe('config errors', () => {
    it("should name 'backend.database.client' and the valid values for an unknown client", () => {
      const config = new ConfigReader({ backend: { database: { client: 'oracledb' } } });

      expect(() => DatabaseManager.fromConfig(config)).toThrow(
        "Unsupported database client 'oracledb' in 'backend.database.client': use one of " +
          "'better-sqlite3', 'sqlite3', 'pg', 'mysql2', 'mysql'.",
      );
    });

    it('should name the per-plugin key for an unknown plugin client', () => {
      const config = new ConfigReader({
        backend: { database: { client: 'pg', plugin: { catalog: { client: 'mssql' } } } },
      });
      const manager = DatabaseManager.fromConfig(config);

      expect(() => manager.forPlugin('catalog')).toThrow(
        "Unsupported database client 'mssql' in 'backend.database.plugin.catalog.client'",
      );
    });

    it('should ask for a client when backend.database has none', () => {
      const config = new ConfigReader({ backend: { database: { connection: 'x' } } });

      expect(() => DatabaseManager.fromConfig(config)).toThrow(
        "Missing database client in 'backend.database.client': set it to one of " +
          "'better-sqlite3', 'sqlite3', 'pg', 'mysql2', 'mysql', or remove 'backend.database' to " +
          'use an in-memory SQLite database per plugin.',
      );
    });

    it('should refuse an unknown pluginDivisionMode', () => {
      const config = new ConfigReader({
        backend: { database: { client: 'pg', pluginDivisionMode: 'table' } },
      });

      expect(() => DatabaseManager.fromConfig(config)).toThrow(
        "Invalid 'backend.database.pluginDivisionMode' value 'table': use 'database' or 'schema'.",
      );
    });

    it('should refuse a database name longer than PostgreSQL allows', () => {
      const config = new ConfigReader({
        backend: { database: { client: 'pg', prefix: 'p'.repeat(60) } },
      });

      expect(() => DatabaseManager.fromConfig(config).forPlugin('catalog')).toThrow(
        `The database name '${'p'.repeat(60)}catalog' of plugin 'catalog' is longer than the 63 ` +
          "bytes PostgreSQL allows: use a shorter 'backend.database.prefix', or set the name in " +
          "'backend.database.plugin.catalog.connection.database'.",
      );
    });

    it('should refuse a connection string that is not a URL', () => {
      const config = new ConfigReader({
        backend: { database: { client: 'pg', connection: 'host=localhost user=postgres' } },
      });

      expect(() => DatabaseManager.fromConfig(config)).toThrow(
        "Invalid database connection string in 'backend.database.connection': it is not a URL. " +
          "Use the form 'postgresql://user:password@host:port/database', or give the connection " +
          'as an object with host, port, user and password.',
      );
    });
  });
});
