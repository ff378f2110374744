import type { Knex } from 'knex';
import { loadKnex } from './loadKnex';
import { describeDatabaseError } from '../describeDatabaseError';
import { mergeKnexConfig } from '../mergeKnexConfig';
import type { KnexLog } from '../createKnexLog';
import type { PluginDatabaseSettings } from '../readDatabaseSettings';
import type { DatabaseConnector } from './DatabaseConnector';
import { createExclusiveRunner } from './runExclusive';

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
