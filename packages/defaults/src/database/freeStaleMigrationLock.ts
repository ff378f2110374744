import type { Knex } from 'knex';
import type { LoggerService } from '@backplane/plugin-api';
import { describeKnexLockTable, type KnexLockTable } from './knexLockTable';
import type { PluginDatabaseSettings } from './readDatabaseSettings';

/**
 * Frees Knex's migration lock when it is set. Call it only while holding Backplane's migration
 * lock of the plugin's database: no other replica can be migrating then, so a set lock was left
 * by a replica that stopped mid-migration (killed, or its connection lost) during a migration
 * without a transaction, and would otherwise fail every later start with `MigrationLocked`.
 * Returns whether the lock was set.
 */
export async function freeStaleMigrationLock(options: {
  client: Knex;
  lockTable: KnexLockTable;
  settings: PluginDatabaseSettings;
  logger?: LoggerService;
}): Promise<boolean> {
  const { lockTable, settings, logger } = options;

  // As Knex's migrator does: leave out the plugin's wrapIdentifier and postProcessResponse.
  const knex = options.client.withUserParams({ ...options.client.userParams });
  (knex as { disableProcessing?: () => void }).disableProcessing?.();

  const { table, schema } = lockTable;
  const schemaBuilder = schema ? knex.schema.withSchema(schema) : knex.schema;
  if (!(await schemaBuilder.hasTable(table))) {
    return false;
  }
  const rows = schema ? knex(table).withSchema(schema) : knex(table);
  const freed = Number(await rows.where('is_locked', '<>', 0).update({ is_locked: 0 }));
  if (freed === 0) {
    return false;
  }

  const database = settings.databaseName ?? '(default)';
  const tableName = describeKnexLockTable(lockTable, settings);
  logger?.warn(
    `Freed Knex's migration lock of plugin '${settings.pluginId}', left set in the table ` +
      `'${tableName}' of the database '${database}': a replica must have stopped mid-migration ` +
      `(killed, or its connection lost). No other replica is migrating, so the migrations run ` +
      `again; if the interrupted one ran without a transaction, check that its changes are not ` +
      `half applied.`,
    { database, table: tableName },
  );
  return true;
}
