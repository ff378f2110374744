import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { loadKnex } from './loadKnex';
import { describeDatabaseError } from '../describeDatabaseError';
import { mergeKnexConfig } from '../mergeKnexConfig';
import type { KnexLog } from '../createKnexLog';
import type { PluginDatabaseSettings } from '../readDatabaseSettings';
import type { DatabaseConnector } from './DatabaseConnector';
import { createExclusiveRunner } from './runExclusive';
import { withOneConnection } from './withOneConnection';

interface PgConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
  escapeIdentifier(value: string): string;
}

/** The first key of Backplane's advisory locks ('BPLN'), so they keep apart from other users'. */
const lockNamespace = 0x42504c4e;

/** How often a replica waiting for another's migrations asks for the lock again. */
const lockPollMs = 250;

/** Codes PostgreSQL returns when another replica created the same database or schema first. */
const alreadyExistsCodes = new Set(['42P04', '42P06', '23505']);

/**
 * PostgreSQL through `pg`: a database per plugin (`pluginDivisionMode: database`) or a schema
 * per plugin in one database (`pluginDivisionMode: schema`), created on first use when
 * `ensureExists` is on.
 */
export class PgConnector implements DatabaseConnector {
  private readonly runDdl = createExclusiveRunner();
  private readonly ensured = new Map<string, Promise<void>>();

  async createClient(settings: PluginDatabaseSettings, log?: KnexLog): Promise<Knex> {
    const { databaseName, schemaName, divisionMode } = settings;
    if (settings.ensureExists && databaseName !== undefined) {
      await this.ensureOnce(`database:${databaseName}`, () => this.ensureDatabase(settings, log));
    }
    if (divisionMode === 'schema' && (settings.ensureExists || settings.ensureSchemaExists)) {
      await this.ensureOnce(`schema:${databaseName ?? ''}:${schemaName}`, () =>
        this.ensureSchema(settings, log),
      );
    }

    return loadKnex()(
      buildPgConfig(settings, {
        connection: settings.connection,
        log,
        ...(schemaName !== undefined && { searchPath: [schemaName] }),
      }),
    );
  }

  /**
   * A session advisory lock keyed by the plugin's database and schema, on a connection of its own
   * outside any transaction: released when the task ends, and by the server when the replica
   * holding it dies.
   */
  async withMigrationLock<T>(
    settings: PluginDatabaseSettings,
    task: () => Promise<T>,
    onWait: () => void,
    log?: KnexLog,
  ): Promise<T> {
    const key = [
      lockNamespace,
      `migrations:${settings.databaseName ?? ''}:${settings.schemaName ?? ''}`,
    ];
    const locker = loadKnex()(
      buildPgConfig(settings, { connection: settings.connection, pool: { min: 0, max: 1 }, log }),
    );
    try {
      return await withOneConnection(locker, async query => {
        const tryLock = async () =>
          (await query('select pg_try_advisory_lock(?, hashtext(?)) as locked', key)).rows[0]
            .locked === true;
        if (!(await tryLock())) {
          onWait();
          // Poll rather than block in pg_advisory_lock: a waiting statement holds a snapshot, and
          // CREATE INDEX CONCURRENTLY in the other replica's migrations would wait for it, a
          // deadlock PostgreSQL does not detect.
          while (!(await tryLock())) {
            await sleep(lockPollMs);
          }
        }
        try {
          return await task();
        } finally {
          // When this fails the connection is gone, and the server has released the lock with it.
          await query('select pg_advisory_unlock(?, hashtext(?))', key).catch(() => undefined);
        }
      });
    } finally {
      await locker.destroy();
    }
  }

  private async ensureOnce(key: string, task: () => Promise<void>): Promise<void> {
    let pending = this.ensured.get(key);
    if (!pending) {
      pending = this.runDdl(task);
      this.ensured.set(key, pending);
      pending.catch(() => this.ensured.delete(key));
    }
    await pending;
  }

  private async ensureDatabase(settings: PluginDatabaseSettings, log?: KnexLog): Promise<void> {
    const name = settings.databaseName!;
    const admin = loadKnex()(
      buildPgConfig(settings, {
        connection: { ...settings.connection, database: 'postgres' },
        pool: { min: 0, max: 1 },
        log,
      }),
    );
    try {
      const rows = await admin('pg_database').select('datname').where('datname', name);
      if (rows.length === 0) {
        await admin.raw('CREATE DATABASE ??', [name]);
      }
    } catch (error) {
      if (!alreadyExistsCodes.has((error as { code?: string }).code ?? '')) {
        throw describeDatabaseError(error, settings, 'create-database');
      }
    } finally {
      await admin.destroy();
    }
  }

  private async ensureSchema(settings: PluginDatabaseSettings, log?: KnexLog): Promise<void> {
    const admin = loadKnex()(
      buildPgConfig(settings, { connection: settings.connection, pool: { min: 0, max: 1 }, log }),
    );
    try {
      if (settings.role) {
        await admin.raw('CREATE SCHEMA IF NOT EXISTS ?? AUTHORIZATION ??', [
          settings.schemaName!,
          settings.role,
        ]);
      } else {
        await admin.raw('CREATE SCHEMA IF NOT EXISTS ??', [settings.schemaName!]);
      }
    } catch (error) {
      if (!alreadyExistsCodes.has((error as { code?: string }).code ?? '')) {
        throw describeDatabaseError(error, settings, 'create-schema');
      }
    } finally {
      await admin.destroy();
    }
  }
}

function buildPgConfig(
  settings: PluginDatabaseSettings,
  overrides: Record<string, unknown>,
): Knex.Config {
  const config = mergeKnexConfig(
    { pool: { min: 0 } },
    settings.knexConfig,
    { client: 'pg', useNullAsDefault: true },
    overrides,
  );
  const role = settings.role;
  if (role) {
    config.pool = {
      ...(config.pool as object),
      afterCreate(connection: PgConnection, done: (error: unknown, c: unknown) => void) {
        connection.query(`SET ROLE ${connection.escapeIdentifier(role)}`, error =>
          done(error, connection),
        );
      },
    };
  }
  return config as Knex.Config;
}
