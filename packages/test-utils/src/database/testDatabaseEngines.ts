import { probeTcpSync } from '../util/probeTcpSync';

/**
 * A database engine to test against. `POSTGRES_<major>` ids are all served by the PostgreSQL
 * server configured for that id (by default the local one, PostgreSQL 15 on this project's
 * machines); `MYSQL_8` is served by MySQL or MariaDB.
 */
export type TestDatabaseId =
  | 'SQLITE_3'
  | 'MYSQL_8'
  | 'POSTGRES_18'
  | 'POSTGRES_17'
  | 'POSTGRES_16'
  | 'POSTGRES_15'
  | 'POSTGRES_14'
  | 'POSTGRES_13'
  | 'POSTGRES_12'
  | 'POSTGRES_11'
  | 'POSTGRES_9';

/** What TestDatabases knows about one id after checking its server. */
export interface TestDatabaseEngine {
  id: TestDatabaseId;
  client: 'better-sqlite3' | 'pg' | 'mysql2';
  /** Connection settings without a database name. */
  connection: { host: string; port: number; user?: string; password?: string; database?: string };
  /** `host:port`, for messages. */
  address: string;
  /** The environment variable that sets the connection string of this id. */
  envVar: string;
  reachable: boolean;
  required: boolean;
  unreachableMessage: string;
}

const DEFAULT_CONNECTIONS = {
  pg: 'postgres://postgres@127.0.0.1:5432',
  mysql2: 'mysql://root@127.0.0.1:3306',
} as const;

const DEFAULT_PORTS = { pg: 5432, mysql2: 3306 } as const;

/** True when an environment flag is set to something other than '', '0' or 'false'. */
export function isFlagSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function clientOf(id: string): TestDatabaseEngine['client'] {
  if (id === 'SQLITE_3') return 'better-sqlite3';
  if (/^POSTGRES_\d+$/.test(id)) return 'pg';
  if (/^MYSQL_\d+$/.test(id)) return 'mysql2';
  throw new TypeError(
    `TestDatabases: unknown database id '${id}'; use 'SQLITE_3', 'MYSQL_8' or 'POSTGRES_<major>' such as 'POSTGRES_15'`,
  );
}

function parseConnectionString(text: string, envVar: string): TestDatabaseEngine['connection'] {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new TypeError(
      `TestDatabases: ${envVar} is not a connection string like 'postgres://user@host:5432'`,
      { cause: error },
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname,
    port: Number(url.port),
    ...(url.username && { user: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(database && { database }),
  };
}

/** Reads the settings of one id from the environment, without checking the server. */
export function resolveEngine(
  id: TestDatabaseId,
  env: NodeJS.ProcessEnv,
): Omit<TestDatabaseEngine, 'reachable' | 'unreachableMessage'> {
  const client = clientOf(id);
  const envVar = `BACKPLANE_TEST_DATABASE_${id}_CONNECTION_STRING`;
  const required =
    isFlagSet(env.BACKPLANE_TEST_DATABASES_REQUIRED) ||
    (client !== 'better-sqlite3' && isFlagSet(env.CI));
  if (client === 'better-sqlite3') {
    return { id, client, connection: { host: '', port: 0 }, address: ':memory:', envVar, required };
  }
  const text =
    env[envVar] ??
    env[`BACKSTAGE_TEST_DATABASE_${id}_CONNECTION_STRING`] ??
    DEFAULT_CONNECTIONS[client];
  const connection = parseConnectionString(text, envVar);
  connection.port ||= DEFAULT_PORTS[client];
  return {
    id,
    client,
    connection,
    address: `${connection.host}:${connection.port}`,
    envVar,
    required,
  };
}

/**
 * Checks which servers accept connections, all at once, and reports every engine that will be
 * left out. An unreachable required engine stays in, so that its tests fail with the reason.
 */
export function describeEngines(
  engines: Array<Omit<TestDatabaseEngine, 'reachable' | 'unreachableMessage'>>,
  env: NodeJS.ProcessEnv,
  report: (message: string) => void,
): TestDatabaseEngine[] {
  const servers = engines.filter(engine => engine.client !== 'better-sqlite3');
  const open = probeTcpSync(servers.map(({ connection }) => connection));
  const reachableIds = new Set(servers.filter((_, index) => open[index]).map(engine => engine.id));

  return engines.map(engine => {
    const reachable = engine.client === 'better-sqlite3' || reachableIds.has(engine.id);
    const reason = `nothing accepts connections at ${engine.address}`;
    const why = isFlagSet(env.BACKPLANE_TEST_DATABASES_REQUIRED)
      ? 'BACKPLANE_TEST_DATABASES_REQUIRED is set'
      : 'CI is set';
    const unreachableMessage =
      `TestDatabases: '${engine.id}' is required (${why}) but ${reason}; ` +
      `start the server or point ${engine.envVar} at one`;
    if (!reachable && !engine.required) {
      report(
        `TestDatabases: skipping '${engine.id}': ${reason}. Start the server, set ${engine.envVar}, ` +
          `or set BACKPLANE_TEST_DATABASES_REQUIRED=1 to fail instead of skipping.`,
      );
    }
    return { ...engine, reachable, unreachableMessage };
  });
}
