import knexFactory, { type Knex } from 'knex';
import { registerCleanup } from '../util/registerTestHook';
import { uniqueName } from '../util/uniqueName';
import {
  describeEngines,
  resolveEngine,
  type TestDatabaseId,
  type TestDatabaseEngine,
} from './testDatabaseEngines';

/** Options for {@link TestDatabases.create}. */
export interface TestDatabasesOptions {
  /** The engines to test against; default `SQLITE_3`, `POSTGRES_15` and `MYSQL_8`. */
  ids?: TestDatabaseId[];
  /** Environment to read connection strings and requirements from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where skip notices go; default standard error. */
  report?(message: string): void;
}

interface AdminHandle {
  knex: Knex;
  databases: string[];
}

async function dropDatabase(knex: Knex, name: string): Promise<void> {
  if (knex.client.config.client === 'pg') {
    // FORCE (PostgreSQL 13+) ends connections the server has not noticed closing yet.
    const forced = await knex.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(
      () => true,
      () => false,
    );
    if (forced) return;
  }
  await knex.raw(`DROP DATABASE IF EXISTS ${name}`);
}

const DEFAULT_IDS: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'];

/**
 * Fresh databases on every engine a plugin supports, for `it.each`.
 *
 * ```ts
 * const databases = TestDatabases.create();
 * it.each(databases.eachSupportedId())('should store items on %p', async databaseId => {
 *   const knex = await databases.init(databaseId);
 *   …
 * });
 * ```
 *
 * Servers come from `BACKPLANE_TEST_DATABASE_<ID>_CONNECTION_STRING` (default: PostgreSQL at
 * `postgres://postgres@127.0.0.1:5432`, MySQL/MariaDB at `mysql://root@127.0.0.1:3306`). An engine
 * whose server does not accept connections is left out with a notice, unless
 * `BACKPLANE_TEST_DATABASES_REQUIRED` or `CI` is set: then `init` of that id fails with the reason.
 * Every database made by `init` has a unique name and is dropped by `shutdown()`, which runs by
 * itself after the test file when the runner has a global `afterAll` or `node:test` is in use.
 */
export class TestDatabases {
  readonly #engines: Map<TestDatabaseId, TestDatabaseEngine>;
  readonly #clients: Knex[] = [];
  readonly #admins = new Map<string, Promise<AdminHandle>>();

  /** Creates the set and registers its shutdown after the current test file or suite. */
  static create(options: TestDatabasesOptions = {}): TestDatabases {
    const databases = new TestDatabases(options);
    registerCleanup(() => databases.shutdown());
    return databases;
  }

  private constructor(options: TestDatabasesOptions) {
    const env = options.env ?? process.env;
    const ids = options.ids ?? DEFAULT_IDS;
    const engines = describeEngines(
      ids.map(id => resolveEngine(id, env)),
      env,
      options.report ?? (message => process.stderr.write(`${message}\n`)),
    );
    this.#engines = new Map(engines.map(engine => [engine.id, engine]));
  }

  /** True when `id` was asked for and its server can be used (or is required). */
  supports(id: TestDatabaseId): boolean {
    const engine = this.#engines.get(id);
    return Boolean(engine && (engine.reachable || engine.required));
  }

  /** The usable ids, each wrapped in an array, as `it.each` wants them. */
  eachSupportedId(): Array<[TestDatabaseId]> {
    return [...this.#engines.keys()].filter(id => this.supports(id)).map(id => [id]);
  }

  /** Creates a fresh, uniquely named database on the engine and returns a Knex client for it. */
  async init(id: TestDatabaseId): Promise<Knex> {
    const engine = this.#engines.get(id);
    if (!engine) {
      const known = [...this.#engines.keys()].join("', '");
      throw new Error(
        `TestDatabases: '${id}' was not among the ids given to TestDatabases.create ('${known}'); add it there`,
      );
    }
    if (!engine.reachable) {
      throw new Error(engine.unreachableMessage);
    }

    if (engine.client === 'better-sqlite3') {
      return this.#track(
        knexFactory({
          client: 'better-sqlite3',
          connection: { filename: ':memory:' },
          useNullAsDefault: true,
        }),
      );
    }

    const name = uniqueName('backplane_test');
    const admin = await this.#admin(engine);
    try {
      await admin.knex.raw(`CREATE DATABASE ${name}`);
    } catch (error) {
      throw new Error(
        `TestDatabases: could not create database '${name}' for '${id}' at ${engine.address}; ` +
          `check that the user of ${engine.envVar} may create databases`,
        { cause: error },
      );
    }
    admin.databases.push(name);
    return this.#track(
      knexFactory({
        client: engine.client,
        connection: { ...engine.connection, database: name },
        pool: { min: 0, max: 5 },
      }),
    );
  }

  /** Closes every client and drops every database made by `init`. Safe to call more than once. */
  async shutdown(): Promise<void> {
    const clients = this.#clients.splice(0);
    await Promise.allSettled(clients.map(client => client.destroy()));

    const admins = [...this.#admins.values()];
    this.#admins.clear();
    const failures: unknown[] = [];
    for (const pending of admins) {
      const admin = await pending.catch(() => undefined);
      if (!admin) continue;
      for (const name of admin.databases) {
        await dropDatabase(admin.knex, name).catch(error => failures.push(error));
      }
      await admin.knex.destroy();
    }
    if (failures.length > 0) {
      throw new Error(`TestDatabases: ${failures.length} test database(s) could not be dropped`, {
        cause: failures[0],
      });
    }
  }

  #track(knex: Knex): Knex {
    this.#clients.push(knex);
    return knex;
  }

  #admin(engine: TestDatabaseEngine): Promise<AdminHandle> {
    const key = `${engine.client} ${engine.address}`;
    let admin = this.#admins.get(key);
    if (!admin) {
      const knex = knexFactory({
        client: engine.client,
        connection: engine.connection,
        pool: { min: 0, max: 1 },
      });
      admin = knex
        .raw('SELECT 1')
        .then(() => ({ knex, databases: [] }))
        .catch(async error => {
          await knex.destroy();
          throw new Error(
            `TestDatabases: could not connect to '${engine.id}' at ${engine.address}: ` +
              `${(error as Error).message}; fix the server or ${engine.envVar}`,
            { cause: error },
          );
        });
      this.#admins.set(key, admin);
    }
    return admin;
  }
}
