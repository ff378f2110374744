import { spawn } from 'node:child_process';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  dropRunDatabases,
  nextPrefix,
  shutdownDatabaseBackends,
  startDatabaseBackend,
  testEngines,
  type TestEngine,
} from './__fixtures__/testDatabases';
import { notesMigrationSource } from './__fixtures__/notesMigrationSource';

afterEach(shutdownDatabaseBackends);
afterAll(dropRunDatabases);

const createNotes = (knex: Knex) => knex.schema.createTable('notes', table => table.string('text'));

/** The database and the lock table that messages name for plugin 'todo'. */
function lockTarget(engine: TestEngine, prefix: string, table = 'knex_migrations_lock') {
  const [database, schema] = engine.pluginLocation(prefix, 'todo').split('/');
  return { database: database!, table: schema ? `${schema}.${table}` : table };
}

function staleLockWarning(database: string, table: string) {
  return {
    level: 'warn',
    message:
      `Freed Knex's migration lock of plugin 'todo', left set in the table '${table}' of the ` +
      `database '${database}': a replica must have stopped mid-migration (killed, or its ` +
      `connection lost). No other replica is migrating, so the migrations run again; if the ` +
      `interrupted one ran without a transaction, check that its changes are not half applied.`,
    meta: { database, table },
  };
}

/** Starts a replica in a child process that begins migration '002_notes' and never ends it. */
async function startMigratingReplica(database: object) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, '__fixtures__', 'migratingReplica.ts'),
      JSON.stringify(database),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', chunk => {
      output += chunk;
      if (output.includes('migrating')) {
        resolve();
      }
    });
    child.stderr.on('data', chunk => (output += chunk));
    child.on('exit', code =>
      reject(new Error(`The migrating replica exited (${code}): ${output}`)),
    );
  });
  return child;
}

describe.each(testEngines)('serializeMigrations on $name', engine => {
  it.runIf(engine.server)(
    'should start a replica after another was killed with SIGKILL during a migration without a transaction',
    async () => {
      const prefix = nextPrefix();
      const config = engine.config(prefix);
      const killed = await startMigratingReplica(config);
      const exited = new Promise(resolve => killed.on('exit', resolve));
      killed.kill('SIGKILL');
      await exited;

      const replica = await startDatabaseBackend(config);
      const client = await (await replica.forPlugin('todo')).getClient();
      expect(await client('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 1 }]);
      // The killed replica created the table but did not record the migration: it runs again.
      await client.schema.dropTable('notes');
      const [, applied] = await client.migrate.latest({
        migrationSource: notesMigrationSource(createNotes),
      });

      expect(applied).toEqual(['002_notes']);
      const { database, table } = lockTarget(engine, prefix);
      expect(replica.logger.messages).toContainEqual(staleLockWarning(database, table));
      expect(await client('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
    },
    30_000,
  );

  it.runIf(engine.server)(
    "should free Knex's migration lock that a stopped replica left set, once, and warn",
    async () => {
      const prefix = nextPrefix();
      const config = engine.config(prefix);
      const stopped = await startDatabaseBackend(config);
      const before = await (await stopped.forPlugin('todo')).getClient();
      await before.migrate.latest({ migrationSource: notesMigrationSource() });
      // What a replica that stops during a migration without a transaction leaves behind.
      await before('knex_migrations_lock').update({ is_locked: 1 });
      await stopped.shutdown();

      const replica = await startDatabaseBackend(config);
      const client = await (await replica.forPlugin('todo')).getClient();
      const [, applied] = await client.migrate.latest({
        migrationSource: notesMigrationSource(createNotes),
      });
      await client.migrate.latest({ migrationSource: notesMigrationSource(createNotes) });

      expect(applied).toEqual(['002_notes']);
      const { database, table } = lockTarget(engine, prefix);
      const warnings = replica.logger.messages.filter(entry => entry.level === 'warn');
      expect(warnings).toEqual([staleLockWarning(database, table)]);
    },
  );

  it.runIf(engine.server)(
    "should free the lock in the table that the client's migrations config names",
    async () => {
      const prefix = nextPrefix();
      const config = {
        ...engine.config(prefix),
        knexConfig: { migrations: { tableName: 'todo_migrations' } },
      };
      const replica = await startDatabaseBackend(config);
      const client = await (await replica.forPlugin('todo')).getClient();
      await client.migrate.latest({ migrationSource: notesMigrationSource() });
      await client('todo_migrations_lock').update({ is_locked: 1 });

      const [, applied] = await client.migrate.up({
        migrationSource: notesMigrationSource(createNotes),
      });

      expect(applied).toEqual(['002_notes']);
      const { database, table } = lockTarget(engine, prefix, 'todo_migrations_lock');
      expect(replica.logger.messages).toContainEqual(staleLockWarning(database, table));
    },
  );

  it.runIf(engine.name === 'PostgreSQL')(
    "should free the lock in the schema and table that the migrate call's config names",
    async () => {
      const prefix = nextPrefix();
      const replica = await startDatabaseBackend(engine.config(prefix));
      const client = await (await replica.forPlugin('todo')).getClient();
      await client.raw('create schema history');
      const migrations = { schemaName: 'history', tableName: 'todo_migrations' };
      await client.migrate.latest({ ...migrations, migrationSource: notesMigrationSource() });
      await client('todo_migrations_lock').withSchema('history').update({ is_locked: 1 });

      const [, applied] = await client.migrate.latest({
        ...migrations,
        migrationSource: notesMigrationSource(createNotes),
      });

      expect(applied).toEqual(['002_notes']);
      const database = `${prefix}todo`;
      const table = 'history.todo_migrations_lock';
      expect(replica.logger.messages).toContainEqual(staleLockWarning(database, table));
    },
  );

  it.runIf(engine.server)(
    "should say which plugin and table when a process that does not take Backplane's lock migrates",
    async () => {
      const prefix = nextPrefix();
      const replica = await startDatabaseBackend(engine.config(prefix));
      const client = await (await replica.forPlugin('todo')).getClient();
      await client.migrate.latest({ migrationSource: notesMigrationSource() });
      // The Knex lock is taken after Backplane checked it, as a Backstage backend would take it.
      const outsider = knexFactory({ ...client.client.config, pool: { min: 0, max: 1 } });
      const source = notesMigrationSource(createNotes);
      const takeLock = {
        ...source,
        getMigrations: async () => {
          await outsider('knex_migrations_lock').update({ is_locked: 1 });
          return source.getMigrations();
        },
      };

      try {
        const failure = client.migrate.latest({ migrationSource: takeLock });
        const { database, table } = lockTarget(engine, prefix);
        await expect(failure).rejects.toMatchObject({
          name: 'MigrationLocked',
          message:
            `Failed to run the migrations of plugin 'todo': Knex's migration lock in the table ` +
            `'${table}' of the database '${database}' is taken (MigrationLocked: Migration table ` +
            `is already locked). No Backplane replica can be migrating it now (Backplane holds ` +
            `its own migration lock of the database), so a process that does not take that ` +
            `lock, such as a Backstage backend or the knex command-line tool, is migrating it. ` +
            `Stop that process or let it finish, then start again.`,
        });
      } finally {
        await outsider.destroy();
      }
    },
  );

  it.runIf(engine.name === 'SQLite (files)')(
    'should not free a lock left set in a SQLite file, and say which file and the SQL that frees it',
    async () => {
      const prefix = nextPrefix();
      const config = engine.config(prefix);
      const stopped = await startDatabaseBackend(config);
      const before = await (await stopped.forPlugin('todo')).getClient();
      await before.migrate.latest({ migrationSource: notesMigrationSource() });
      await before('knex_migrations_lock').update({ is_locked: 1 });
      await stopped.shutdown();

      const restarted = await startDatabaseBackend(config);
      const client = await (await restarted.forPlugin('todo')).getClient();
      const file = engine.pluginLocation(prefix, 'todo');
      const sql = 'UPDATE knex_migrations_lock SET is_locked = 0;';
      await expect(
        client.migrate.latest({ migrationSource: notesMigrationSource(createNotes) }),
      ).rejects.toMatchObject({
        name: 'MigrationLocked',
        message:
          `Failed to run the migrations of plugin 'todo': Knex's migration lock in the table ` +
          `'knex_migrations_lock' of the SQLite file '${file}' is taken (MigrationLocked: ` +
          `Migration table is already locked). Either another process is migrating that file ` +
          `now, or a process stopped mid-migration (killed, or crashed during a migration ` +
          `without a transaction) and left the lock set. If no other process uses the file, ` +
          `free the lock by running '${sql}' on it (for example with the sqlite3 shell), then ` +
          `start again.`,
      });

      // The statement in the message is the whole fix.
      await client.raw(sql);
      const [, applied] = await client.migrate.latest({
        migrationSource: notesMigrationSource(createNotes),
      });
      expect(applied).toEqual(['002_notes']);
    },
  );

  it.runIf(engine.name === 'SQLite (in memory)')(
    'should run a second migrate call of the plugin once the first finished, in memory',
    async () => {
      const backend = await startDatabaseBackend(engine.config(nextPrefix()));
      const client = await (await backend.forPlugin('todo')).getClient();
      await client.migrate.latest({ migrationSource: notesMigrationSource() });
      let release!: () => void;
      const released = new Promise<void>(resolve => (release = resolve));
      let entered!: () => void;
      const migrating = new Promise<void>(resolve => (entered = resolve));
      const first = client.migrate.latest({
        migrationSource: notesMigrationSource(async knex => {
          entered();
          await released;
          await createNotes(knex);
        }),
      });
      await migrating;

      const second = client.migrate.latest({ migrationSource: notesMigrationSource(createNotes) });

      let secondDone = false;
      void second.then(() => (secondDone = true));
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(secondDone).toBe(false);

      release();
      expect((await first)[1]).toEqual(['002_notes']);
      // Without the queue the second call fails at once with Knex's MigrationLocked.
      expect((await second)[1]).toEqual([]);
    },
  );
});
