import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  dropRunDatabases,
  nextPrefix,
  shutdownDatabaseBackends,
  startDatabaseBackend,
  testEngines,
} from './__fixtures__/testDatabases';

const migrationsDirectory = join(__dirname, '__fixtures__', 'migrations');

afterEach(shutdownDatabaseBackends);
afterAll(dropRunDatabases);

describe.each(testEngines)('databaseServiceFactory on $name', engine => {
  it('should give a plugin a working Knex client, created once and reused', async () => {
    const backend = await startDatabaseBackend(engine.config(nextPrefix()));
    const database = await backend.forPlugin('catalog');

    const client = await database.getClient();
    expect(await database.getClient()).toBe(client);
    await client.schema.createTable('entries', table => {
      table.string('name').primary();
      table.json('data');
    });
    await client('entries').insert({ name: 'a', data: JSON.stringify({ x: 1 }) });
    expect(await client('entries').select('name')).toEqual([{ name: 'a' }]);
  });

  it('should keep the databases of plugins apart, plugin ids with dashes included', async () => {
    const backend = await startDatabaseBackend(engine.config(nextPrefix()));
    const catalog = await (await backend.forPlugin('catalog')).getClient();
    const search = await (await backend.forPlugin('search-index')).getClient();

    await catalog.schema.createTable('notes', table => table.string('text'));
    await catalog('notes').insert({ text: 'catalog only' });

    expect(await search.schema.hasTable('notes')).toBe(false);
    await search.schema.createTable('notes', table => table.string('text'));
    expect(await search('notes').select()).toEqual([]);
    expect(await catalog('notes').select()).toEqual([{ text: 'catalog only' }]);
  });

  it.runIf(engine.persistent)(
    "should open each plugin's own database, file or schema, named after the plugin",
    async () => {
      const prefix = nextPrefix();
      const backend = await startDatabaseBackend(engine.config(prefix));
      const catalog = await (await backend.forPlugin('catalog')).getClient();
      const search = await (await backend.forPlugin('search-index')).getClient();

      expect(await engine.location(catalog)).toBe(engine.pluginLocation(prefix, 'catalog'));
      expect(await engine.location(search)).toBe(engine.pluginLocation(prefix, 'search-index'));
    },
  );

  it("should run a plugin's Knex migrations like the official runtime", async () => {
    const backend = await startDatabaseBackend(engine.config(nextPrefix()));
    const database = await backend.forPlugin('todo');
    expect(database.migrations).toEqual({ skip: false });
    const client = await database.getClient();

    const [, applied] = await client.migrate.latest({ directory: migrationsDirectory });
    expect(applied).toEqual(['20240101000000_lists.js', '20240201000000_items_done.js']);
    const [, again] = await client.migrate.latest({ directory: migrationsDirectory });
    expect(again).toEqual([]);

    const [listId] = (await client('lists').insert({ name: 'home' }, ['id'])).map(row =>
      typeof row === 'object' ? row.id : row,
    );
    await client('items').insert({ list_id: listId, title: 'milk' });
    const items = await client('items').select('title', 'done');
    expect(items.map(item => ({ title: item.title, done: Boolean(item.done) }))).toEqual([
      { title: 'milk', done: false },
    ]);

    // Foreign keys are enforced, on SQLite too.
    await expect(client('items').insert({ list_id: 9999, title: 'orphan' })).rejects.toThrow();
    await client('lists').where({ id: listId }).delete();
    expect(await client('items').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    expect(Number((await client('items').count({ n: '*' }))[0].n)).toBe(0);
  });

  it("should expose 'skipMigrations' as migrations.skip, per plugin", async () => {
    const backend = await startDatabaseBackend({
      ...engine.config(nextPrefix()),
      skipMigrations: true,
      plugin: { search: { skipMigrations: false } },
    });

    expect((await backend.forPlugin('catalog')).migrations).toEqual({ skip: true });
    expect((await backend.forPlugin('search')).migrations).toEqual({ skip: false });
  });

  it('should use the connection given for one plugin under plugin.<pluginId>', async () => {
    const prefix = nextPrefix();
    const backend = await startDatabaseBackend({
      ...engine.config(prefix),
      plugin: { catalog: { connection: engine.namedConnection(prefix, 'custom') } },
    });

    const catalog = await (await backend.forPlugin('catalog')).getClient();
    const search = await (await backend.forPlugin('search')).getClient();

    expect(await engine.location(catalog)).toBe(engine.namedLocation(prefix, 'custom', 'catalog'));
    expect(await engine.location(search)).toBe(engine.pluginLocation(prefix, 'search'));
  });

  it("should merge 'knexConfig' with the plugin's own 'knexConfig'", async () => {
    const backend = await startDatabaseBackend({
      ...engine.config(nextPrefix()),
      knexConfig: { acquireConnectionTimeout: 5000, pool: { idleTimeoutMillis: 4321 } },
      plugin: { catalog: { knexConfig: { acquireConnectionTimeout: 7000 } } },
    });

    const catalog = await (await backend.forPlugin('catalog')).getClient();
    const search = await (await backend.forPlugin('search')).getClient();

    expect(catalog.client.config.acquireConnectionTimeout).toBe(7000);
    expect(search.client.config.acquireConnectionTimeout).toBe(5000);
    expect(catalog.client.pool.idleTimeoutMillis).toBe(4321);
  });

  it('should close every client when the root lifecycle shuts down', async () => {
    const backend = await startDatabaseBackend(engine.config(nextPrefix()));
    const database = await backend.forPlugin('catalog');
    const client = await database.getClient();

    await backend.shutdown();

    await expect(client.raw('select 1')).rejects.toThrow();
    await expect(database.getClient()).rejects.toThrow(
      "The database of plugin 'catalog' was requested after the backend stopped; finish " +
        "database work in a shutdown hook of the plugin's lifecycle service.",
    );
  });

  it.runIf(engine.persistent)('should keep data when the backend restarts', async () => {
    const config = engine.config(nextPrefix());
    const first = await startDatabaseBackend(config);
    const before = await (await first.forPlugin('catalog')).getClient();
    await before.schema.createTable('kept', table => table.string('value'));
    await before('kept').insert({ value: 'still here' });
    await first.shutdown();

    const second = await startDatabaseBackend(config);
    const after = await (await second.forPlugin('catalog')).getClient();
    expect(await after('kept').select()).toEqual([{ value: 'still here' }]);
  });

  it.runIf(engine.server)(
    'should create a missing database (or schema) once when replicas start at the same time',
    async () => {
      const prefix = nextPrefix();
      const config = engine.config(prefix);
      const replicas = await Promise.all([1, 2, 3].map(() => startDatabaseBackend(config)));

      const clients = await Promise.all(
        replicas.map(async replica => (await replica.forPlugin('catalog')).getClient()),
      );

      const locations = await Promise.all(clients.map(client => engine.location(client)));
      expect(locations).toEqual(Array(3).fill(engine.pluginLocation(prefix, 'catalog')));
    },
  );

  it.runIf(engine.server)(
    'should run the migrations of replicas that start at the same time on an empty database once',
    async () => {
      const config = engine.config(nextPrefix());
      const replicas = await Promise.all([1, 2, 3, 4].map(() => startDatabaseBackend(config)));
      const clients = await Promise.all(
        replicas.map(async replica => (await replica.forPlugin('todo')).getClient()),
      );

      const results = await Promise.allSettled(
        clients.map(client => client.migrate.latest({ directory: migrationsDirectory })),
      );

      expect(results.filter(result => result.status === 'rejected')).toEqual([]);
      const applied = results.flatMap(result =>
        result.status === 'fulfilled' ? (result.value[1] as string[]) : [],
      );
      expect(applied.sort()).toEqual(['20240101000000_lists.js', '20240201000000_items_done.js']);
      const recorded = await clients[0]('knex_migrations').select('name').orderBy('name');
      expect(recorded.map(row => row.name)).toEqual(applied);
    },
  );

  it.runIf(engine.server)(
    'should make a replica wait while another migrates without a transaction, and go on after a failure',
    async () => {
      const config = engine.config(nextPrefix());
      const [first, second] = await Promise.all([1, 2].map(() => startDatabaseBackend(config)));
      const firstClient = await (await first.forPlugin('todo')).getClient();
      const secondClient = await (await second.forPlugin('todo')).getClient();
      let release!: () => void;
      const released = new Promise<void>(resolve => (release = resolve));
      const source = (up: (knex: Knex) => Promise<void>) => ({
        getMigrations: async () => ['001_notes'],
        getMigrationName: (name: string) => name,
        getMigration: async () => ({
          up,
          down: async () => {},
          config: { transaction: false },
        }),
      });

      // The first replica's migration fails once the second one is waiting for the lock.
      let entered!: () => void;
      const migrating = new Promise<void>(resolve => (entered = resolve));
      const failing = firstClient.migrate.latest({
        migrationSource: source(async () => {
          entered();
          await released;
          throw new Error('disk full');
        }),
      });
      failing.catch(() => {});
      await migrating;
      const waiting = secondClient.migrate.latest({
        migrationSource: source(knex =>
          knex.schema.createTable('notes', table => table.string('text')),
        ),
      });
      await vi.waitFor(() =>
        expect(second.logger.messages).toContainEqual({
          level: 'info',
          message: "Waiting for another replica to finish migrating the database of plugin 'todo'",
          meta: undefined,
        }),
      );
      release();

      await expect(failing).rejects.toThrow('disk full');
      expect((await waiting)[1]).toEqual(['001_notes']);
      expect(await firstClient.schema.hasTable('notes')).toBe(true);
    },
  );

  it.runIf(engine.name.startsWith('PostgreSQL'))(
    'should let a migration create an index concurrently while another replica waits for it',
    async () => {
      const config = engine.config(nextPrefix());
      const [first, second] = await Promise.all([1, 2].map(() => startDatabaseBackend(config)));
      const clients = await Promise.all(
        [first, second].map(async backend => (await backend.forPlugin('search')).getClient()),
      );
      const source = {
        getMigrations: async () => ['001_documents'],
        getMigrationName: (name: string) => name,
        getMigration: async () => ({
          config: { transaction: false },
          up: async (knex: Knex) => {
            await knex.schema.createTable('documents', table => table.string('title'));
            // Runs on the first replica, once the second waits for the lock. The index waits for
            // every statement open in the database: neither the lock held here nor the other
            // replica's wait for it may keep one open.
            await vi.waitFor(() =>
              expect(second.logger.messages.map(entry => entry.message)).toContain(
                "Waiting for another replica to finish migrating the database of plugin 'search'",
              ),
            );
            await knex.raw('CREATE INDEX CONCURRENTLY documents_title ON documents (title)');
          },
          down: async () => {},
        }),
      };

      const [one] = await Promise.all([
        clients[0].migrate.latest({ migrationSource: source }),
        new Promise(resolve => setTimeout(resolve, 100)).then(() =>
          clients[1].migrate.latest({ migrationSource: source }),
        ),
      ]);

      expect(one[1]).toEqual(['001_documents']);
    },
  );
});
