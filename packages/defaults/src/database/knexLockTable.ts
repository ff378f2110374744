import type { PluginDatabaseSettings } from './readDatabaseSettings';

/** Where Knex keeps its migration lock for one `migrate` call. */
export interface KnexLockTable {
  /** The lock table: the migration config's `tableName` followed by `_lock`. */
  table: string;
  /** The migration config's `schemaName`, when it sets one. */
  schema?: string;
}

/**
 * The lock table a `migrate` call uses, resolved as Knex resolves it: the call's `tableName` and
 * `schemaName`, else the migrator's (from the client's `migrations` config), else Knex's default
 * `knex_migrations`.
 */
export function knexLockTable(migratorConfig: unknown, callConfig: unknown): KnexLockTable {
  const { tableName, schemaName } = {
    ...(migratorConfig as object | undefined),
    ...(callConfig as object | undefined),
  } as { tableName?: unknown; schemaName?: unknown };
  const migrations = typeof tableName === 'string' && tableName ? tableName : 'knex_migrations';
  const table = `${migrations}_lock`;
  return typeof schemaName === 'string' && schemaName ? { table, schema: schemaName } : { table };
}

/**
 * The lock table as messages name it: qualified with its schema when the migration config or
 * PostgreSQL's schema mode puts it in one.
 */
export function describeKnexLockTable(
  lockTable: KnexLockTable,
  settings: PluginDatabaseSettings,
): string {
  const schema = lockTable.schema ?? settings.schemaName;
  return schema ? `${schema}.${lockTable.table}` : lockTable.table;
}
