import type { Knex } from 'knex';

/** Runs a task while holding a lock that the same plugin's migrations on other replicas wait for. */
export type MigrationLock = <T>(task: () => Promise<T>) => Promise<T>;

/** The Migrator methods that change the schema; the others only read. */
const changingMethods = ['latest', 'up', 'down', 'rollback'] as const;

/**
 * Makes `client.migrate.latest()` (and `up`, `down`, `rollback`) run under `lock`. Knex's own
 * migration lock lives in a table that two replicas starting on an empty database both try to
 * create, and a migration without a transaction fails at once with `MigrationLocked` while another
 * replica migrates; waiting for a database lock first lets every replica start. Reading methods
 * such as `status()` and `list()` are left as they are.
 */
export function serializeMigrations(client: Knex, lock: MigrationLock): void {
  const getMigrator = findGetter(client, 'migrate');
  Object.defineProperty(client, 'migrate', {
    configurable: true,
    get() {
      const migrator = getMigrator.call(this) as Record<string, unknown>;
      for (const method of changingMethods) {
        const original = migrator[method] as (...args: unknown[]) => Promise<unknown>;
        migrator[method] = (...args: unknown[]) => lock(() => original.apply(migrator, args));
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
