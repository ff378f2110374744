import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Knex } from 'knex';
import { loadKnex } from './loadKnex';
import { describeDatabaseError } from '../describeDatabaseError';
import { mergeKnexConfig } from '../mergeKnexConfig';
import type { KnexLog } from '../createKnexLog';
import type { PluginDatabaseSettings } from '../readDatabaseSettings';
import type { DatabaseConnector } from './DatabaseConnector';

interface SqliteConnection {
  pragma(statement: string): unknown;
}

/**
 * SQLite through better-sqlite3: one in-memory database per plugin, or one file per plugin.
 * Foreign keys are enforced on every connection.
 */
export class SqliteConnector implements DatabaseConnector {
  async createClient(settings: PluginDatabaseSettings, log?: KnexLog): Promise<Knex> {
    const filename = settings.connection.filename as string;
    const inMemory = filename === ':memory:';
    if (!inMemory) {
      try {
        mkdirSync(dirname(filename), { recursive: true });
      } catch (error) {
        throw describeDatabaseError(error, settings, 'open');
      }
    }

    const config = mergeKnexConfig(settings.knexConfig, {
      client: 'better-sqlite3',
      connection: settings.connection,
      useNullAsDefault: true,
      log,
    });
    // An in-memory database lives as long as its only connection: keep exactly one (the pool
    // never reaps below `min`).
    const pool = mergeKnexConfig(
      config.pool as Record<string, unknown> | undefined,
      inMemory ? { min: 1, max: 1 } : {},
      {
        afterCreate(connection: SqliteConnection, done: (error: unknown, c: unknown) => void) {
          try {
            connection.pragma('foreign_keys = ON');
            done(null, connection);
          } catch (error) {
            done(error, connection);
          }
        },
      },
    );
    return loadKnex()({ ...config, pool } as Knex.Config);
  }
}
