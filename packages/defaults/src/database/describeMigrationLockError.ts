import { describeKnexLockTable, type KnexLockTable } from './knexLockTable';
import type { PluginDatabaseSettings } from './readDatabaseSettings';

/** True for the error Knex throws when its migration lock is taken (`MigrationLocked`). */
export function isMigrationLockError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'MigrationLocked';
}

/**
 * Builds the error a plugin sees when Knex finds its migration lock taken: it names the plugin,
 * the lock table and the database, says why that happens on this engine and how to get past it.
 * The name stays `MigrationLocked`, so code that checks for it still does; Knex's error is kept
 * as `cause`.
 */
export function describeMigrationLockError(
  error: Error,
  settings: PluginDatabaseSettings,
  lockTable: KnexLockTable,
): Error {
  const table = describeKnexLockTable(lockTable, settings);
  const database = settings.databaseName ?? '(default)';
  const detail = `${error.name}: ${error.message}`;

  let where: string;
  let reason: string;
  if (settings.engine !== 'sqlite') {
    where = `the database '${database}'`;
    reason =
      `No Backplane replica can be migrating it now (Backplane holds its own migration lock of ` +
      `the database), so a process that does not take that lock, such as a Backstage backend ` +
      `or the knex command-line tool, is migrating it. Stop that process or let it finish, ` +
      `then start again.`;
  } else if (database === ':memory:') {
    where = 'the in-memory database';
    // Calls on one client wait for each other, so only a second client of the database can race.
    reason =
      `Another migration of the plugin is still running in this process on another client of ` +
      `the database: wait for one 'migrate.latest()' (or 'up', 'down', 'rollback') to finish ` +
      `before starting the next.`;
  } else {
    where = `the SQLite file '${database}'`;
    reason =
      `Either another process is migrating that file now, or a process stopped mid-migration ` +
      `(killed, or crashed during a migration without a transaction) and left the lock set. If ` +
      `no other process uses the file, free the lock by running ` +
      `'${unlockStatement(lockTable)}' on it (for example with the sqlite3 shell), then start ` +
      `again.`;
  }

  const message =
    `Failed to run the migrations of plugin '${settings.pluginId}': Knex's migration lock in ` +
    `the table '${table}' of ${where} is taken (${detail}). ${reason}`;
  const described = new Error(message, { cause: error });
  described.name = error.name;
  return described;
}

/** The SQLite statement that frees the lock, with identifiers quoted only where they must be. */
function unlockStatement(lockTable: KnexLockTable): string {
  const quote = (name: string) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
  const target = lockTable.schema
    ? `${quote(lockTable.schema)}.${quote(lockTable.table)}`
    : quote(lockTable.table);
  return `UPDATE ${target} SET is_locked = 0;`;
}
