import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { loadKnex } from './loadKnex';
import { describeDatabaseError } from '../describeDatabaseError';
import { mergeKnexConfig } from '../mergeKnexConfig';
import type { KnexLog } from '../createKnexLog';
import type { PluginDatabaseSettings } from '../readDatabaseSettings';
import type { DatabaseConnector } from './DatabaseConnector';
import { createExclusiveRunner } from './runExclusive';
import { withOneConnection } from './withOneConnection';

/**
 * MySQL and MariaDB through `mysql2`: a database per plugin, created on first use when
 * `ensureExists` is on. `CREATE DATABASE IF NOT EXISTS` makes that safe across replicas.
 */
export class MysqlConnector implements DatabaseConnector {
  private readonly runDdl = createExclusiveRunner();
  private readonly ensured = new Map<string, Promise<void>>();

  async createClient(settings: PluginDatabaseSettings, log?: KnexLog): Promise<Knex> {
    const name = settings.databaseName!;
    if (settings.ensureExists) {
      let pending = this.ensured.get(name);
      if (!pending) {
        pending = this.runDdl(() => this.ensureDatabase(settings, log));
        this.ensured.set(name, pending);
        pending.catch(() => this.ensured.delete(name));
      }
      await pending;
    }
    return loadKnex()(buildMysqlConfig(settings, { connection: settings.connection, log }));
  }

  /**
   * A named lock (`GET_LOCK`) on a connection of its own, held for the task: released when the
   * task ends, and by the server when the replica holding it dies. Lock names are server-wide, so
   * the name carries the database name (hashed when it would pass MySQL's 64 characters).
   */
  async withMigrationLock<T>(
    settings: PluginDatabaseSettings,
    task: () => Promise<T>,
    onWait: () => void,
    log?: KnexLog,
  ): Promise<T> {
    const readable = `backplane.migrations.${settings.databaseName}`;
    const name =
      readable.length <= 64
        ? readable
        : `backplane.migrations.${createHash('sha1').update(readable).digest('hex')}`;
    const locker = loadKnex()(
      buildMysqlConfig(settings, {
        connection: settings.connection,
        pool: { min: 0, max: 1 },
        log,
      }),
    );
    try {
      return await withOneConnection(locker, async query => {
        const getLock = async (seconds: number) => {
          const [rows] = await query('SELECT GET_LOCK(?, ?) AS locked', [name, seconds]);
          if (rows[0].locked === null) {
            throw new Error(
              `The database server refused the migration lock '${name}' of plugin ` +
                `'${settings.pluginId}'; check the server's log for the cause and start again.`,
            );
          }
          return Number(rows[0].locked) === 1;
        };
        if (!(await getLock(0))) {
          onWait();
          while (!(await getLock(60))) {
            // Another replica is still migrating; keep waiting, as PostgreSQL does.
          }
        }
        try {
          return await task();
        } finally {
          // When this fails the connection is gone, and the server has released the lock with it.
          await query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
        }
      });
    } finally {
      await locker.destroy();
    }
  }

  private async ensureDatabase(settings: PluginDatabaseSettings, log?: KnexLog): Promise<void> {
    const connection = { ...settings.connection };
    delete connection.database;
    const admin = loadKnex()(
      buildMysqlConfig(settings, { connection, pool: { min: 0, max: 1 }, log }),
    );
    try {
      await admin.raw('CREATE DATABASE IF NOT EXISTS ??', [settings.databaseName!]);
    } catch (error) {
      throw describeDatabaseError(error, settings, 'create-database');
    } finally {
      await admin.destroy();
    }
  }
}

function buildMysqlConfig(
  settings: PluginDatabaseSettings,
  overrides: Record<string, unknown>,
): Knex.Config {
  return mergeKnexConfig(
    { pool: { min: 0 } },
    settings.knexConfig,
    { client: 'mysql2', useNullAsDefault: true },
    overrides,
  ) as Knex.Config;
}
