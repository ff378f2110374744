import type { Knex } from 'knex';
import type { LoggerService } from '@backplane/plugin-api';
import { describeMigrationLockError, isMigrationLockError } from './describeMigrationLockError';
import { freeStaleMigrationLock } from './freeStaleMigrationLock';
import { knexLockTable } from './knexLockTable';
import type { PluginDatabaseSettings } from './readDatabaseSettings';

/** Runs a task holding a lock that the same plugin's migrations on other replicas wait for. */
export type MigrationLock = <T>(task: () => Promise<T>) => Promise<T>;

/** Options for {@link serializeMigrations}. */
export interface SerializeMigrationsOptions {
  settings: PluginDatabaseSettings;
  /**
   * Server engines: the lock that keeps the migrations of replicas apart. SQLite has none: its
   * migrations only wait for the other migrations of the same client in this process.
   */
  lock?: MigrationLock;
  /** The plugin's logger, told when a stale Knex lock was freed. */
  logger?: LoggerService;
}

/** The Migrator methods that change the schema; the others only read. */
const changingMethods = ['latest', 'up', 'down', 'rollback'] as const;

/**
 * Makes `client.migrate.latest()` (and `up`, `down`, `rollback`) run under `lock`. Knex's own
 * migration lock lives in a table that two replicas starting on an empty database both try to
 * create, and a migration without a transaction fails at once with `MigrationLocked` while another
 * replica migrates; waiting for a database lock first lets every replica start. While that lock is
 * held, a set Knex lock can only have been left by a replica that stopped mid-migration, so it is
 * freed. On SQLite, without such a lock, the calls of one client wait for each other in this
 * process. A `MigrationLocked` error that still happens, on any engine, is rethrown naming the
 * plugin and the lock table, and saying how to get past it. Reading methods such as `status()`
 * and `list()` are left as they are.
 */
export function serializeMigrations(client: Knex, options: SerializeMigrationsOptions): void {
  const { settings, lock, logger } = options;
  // Only a lock shared by every replica proves that a set Knex lock is stale.
  const serialize = lock ?? oneAtATime();
  const freesStaleLocks = lock !== undefined;
  const getMigrator = findGetter(client, 'migrate');
  Object.defineProperty(client, 'migrate', {
    configurable: true,
    get() {
      const migrator = getMigrator.call(this) as Record<string, unknown>;
      for (const method of changingMethods) {
        const original = migrator[method] as (...args: unknown[]) => Promise<unknown>;
        migrator[method] = async (...args: unknown[]) => {
          const lockTable = knexLockTable(migrator.config, args[0]);
          const run = () => original.apply(migrator, args);
          try {
            return await serialize(async () => {
              if (freesStaleLocks) {
                await freeStaleMigrationLock({ client, lockTable, settings, logger });
              }
              return run();
            });
          } catch (error) {
            throw isMigrationLockError(error)
              ? describeMigrationLockError(error, settings, lockTable)
              : error;
          }
        };
      }
      return migrator;
    },
  });
}

function findGetter(target: object, property: string): () => unknown {
  for (let owner: object | null = target; owner; owner = Object.getPrototypeOf(owner)) {
    const getter = Object.getOwnPropertyDescriptor(owner, property)?.get;
    if (getter) {
      return getter;
    }
  }
  throw new Error(`This Knex version has no '${property}' getter; Backplane needs Knex 3.`);
}

/** A lock within this process: each task starts when the one before it settled. */
function oneAtATime(): MigrationLock {
  let last: Promise<unknown> = Promise.resolve();
  return task => {
    const result = last.then(task);
    last = result.catch(() => undefined);
    return result;
  };
}
