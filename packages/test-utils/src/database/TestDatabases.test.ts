import { createServer } from 'node:net';
import { TestDatabases } from './TestDatabases';
import type { TestDatabaseId } from './testDatabaseEngines';

/** A loopback port that was free a moment ago, so nothing accepts connections there. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('TestDatabases', () => {
  const databases = TestDatabases.create();

  it('should support every engine of this machine', () => {
    expect(databases.eachSupportedId()).toEqual([['SQLITE_3'], ['POSTGRES_15'], ['MYSQL_8']]);
    expect(databases.supports('POSTGRES_15')).toBe(true);
    expect(databases.supports('POSTGRES_17')).toBe(false);
  });

  it.each(databases.eachSupportedId())(
    'should give a fresh database for a round trip on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('items', table => {
        table.increments('id');
        table.string('title').notNullable();
      });
      await knex('items').insert([{ title: 'a' }, { title: 'b' }]);
      const rows = await knex('items').select('title').orderBy('id');
      expect(rows).toEqual([{ title: 'a' }, { title: 'b' }]);

      const other = await databases.init(databaseId);
      expect(await other.schema.hasTable('items')).toBe(false);
    },
  );

  it('should drop the databases it made on shutdown', async () => {
    const own = TestDatabases.create({ ids: ['POSTGRES_15', 'MYSQL_8'] });
    const pg = await own.init('POSTGRES_15');
    const mysql = await own.init('MYSQL_8');
    const pgName = pg.client.config.connection.database;
    const mysqlName = mysql.client.config.connection.database;
    await own.shutdown();

    const check = TestDatabases.create({ ids: ['POSTGRES_15', 'MYSQL_8'] });
    const pgCheck = await check.init('POSTGRES_15');
    const { rows } = await pgCheck.raw('SELECT datname FROM pg_database WHERE datname = ?', [
      pgName,
    ]);
    expect(rows).toEqual([]);
    const mysqlCheck = await check.init('MYSQL_8');
    const [found] = await mysqlCheck.raw('SHOW DATABASES LIKE ?', [mysqlName]);
    expect(found).toEqual([]);
    await check.shutdown();
  });

  it('should skip an unreachable engine with a notice, or fail when required', async () => {
    const reports: string[] = [];
    const env = {
      BACKPLANE_TEST_DATABASE_POSTGRES_15_CONNECTION_STRING: 'postgres://x@127.0.0.1:1',
    };
    const lenient = TestDatabases.create({
      ids: ['POSTGRES_15', 'SQLITE_3'],
      env,
      report: m => reports.push(m),
    });
    expect(lenient.eachSupportedId()).toEqual([['SQLITE_3']]);
    expect(reports).toEqual([
      "TestDatabases: skipping 'POSTGRES_15': nothing accepts connections at 127.0.0.1:1. Start the server, set BACKPLANE_TEST_DATABASE_POSTGRES_15_CONNECTION_STRING, or set BACKPLANE_TEST_DATABASES_REQUIRED=1 to fail instead of skipping.",
    ]);

    const strict = TestDatabases.create({
      ids: ['POSTGRES_15'],
      env: { ...env, BACKPLANE_TEST_DATABASES_REQUIRED: '1' },
    });
    expect(strict.eachSupportedId()).toEqual([['POSTGRES_15']]);
    await expect(strict.init('POSTGRES_15')).rejects.toThrow(
      "TestDatabases: 'POSTGRES_15' is required (BACKPLANE_TEST_DATABASES_REQUIRED is set) but nothing accepts connections at 127.0.0.1:1; start the server or point BACKPLANE_TEST_DATABASE_POSTGRES_15_CONNECTION_STRING at one",
    );
  });

  it('should name the ids it knows when asked for another', async () => {
    await expect(databases.init('POSTGRES_9')).rejects.toThrow(
      "TestDatabases: 'POSTGRES_9' was not among the ids given to TestDatabases.create ('SQLITE_3', 'POSTGRES_15', 'MYSQL_8'); add it there",
    );
    expect(() => TestDatabases.create({ ids: ['ORACLE' as any] })).toThrow(
      "TestDatabases: unknown database id 'ORACLE'; use 'SQLITE_3', 'MYSQL_8' or 'POSTGRES_<major>' such as 'POSTGRES_15'",
    );
  });
});

describe('TestDatabases when the environment demands every engine', () => {
  const cases: Array<[TestDatabaseId, string, NodeJS.ProcessEnv, string]> = [
    ['POSTGRES_15', 'CI', { CI: '1' }, 'CI is set'],
    ['MYSQL_8', 'CI', { CI: 'true' }, 'CI is set'],
    [
      'POSTGRES_15',
      'BACKPLANE_TEST_DATABASES_REQUIRED',
      { BACKPLANE_TEST_DATABASES_REQUIRED: '1' },
      'BACKPLANE_TEST_DATABASES_REQUIRED is set',
    ],
    [
      'MYSQL_8',
      'BACKPLANE_TEST_DATABASES_REQUIRED',
      { BACKPLANE_TEST_DATABASES_REQUIRED: 'yes' },
      'BACKPLANE_TEST_DATABASES_REQUIRED is set',
    ],
  ];

  it.each(cases)(
    'should fail to create a %s database instead of skipping it when %s is set and the server is unreachable',
    async (id, _variable, demand, why) => {
      const port = await closedPort();
      const scheme = id === 'MYSQL_8' ? 'mysql://root' : 'postgres://postgres';
      const envVar = `BACKPLANE_TEST_DATABASE_${id}_CONNECTION_STRING`;
      const reports: string[] = [];
      const databases = TestDatabases.create({
        ids: ['SQLITE_3', id],
        env: { ...demand, [envVar]: `${scheme}@127.0.0.1:${port}` },
        report: message => reports.push(message),
      });

      expect(reports).toEqual([]);
      expect(databases.eachSupportedId()).toEqual([['SQLITE_3'], [id]]);
      await expect(databases.init(id)).rejects.toThrow(
        `TestDatabases: '${id}' is required (${why}) but nothing accepts connections at ` +
          `127.0.0.1:${port}; start the server or point ${envVar} at one`,
      );
      await expect(databases.init('SQLITE_3')).resolves.toBeDefined();
    },
  );

  it.each(['', '0', 'false'])("should skip an unreachable engine when CI is '%s'", async value => {
    const port = await closedPort();
    const reports: string[] = [];
    const databases = TestDatabases.create({
      ids: ['POSTGRES_15'],
      env: {
        CI: value,
        BACKPLANE_TEST_DATABASE_POSTGRES_15_CONNECTION_STRING: `postgres://x@127.0.0.1:${port}`,
      },
      report: message => reports.push(message),
    });

    expect(databases.eachSupportedId()).toEqual([]);
    expect(reports).toHaveLength(1);
  });
});
