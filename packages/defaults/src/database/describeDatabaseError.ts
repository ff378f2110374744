import type { PluginDatabaseSettings } from './readDatabaseSettings';

const engineNames = { sqlite: 'SQLite', pg: 'PostgreSQL', mysql: 'MySQL' } as const;

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const authCodes = new Set([
  '28P01',
  '28000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);
const missingDatabaseCodes = new Set(['3D000', 'ER_BAD_DB_ERROR']);
const privilegeCodes = new Set([
  '42501',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
]);

/** What was being done when the error happened. */
export type DatabaseOperation = 'open' | 'create-database' | 'create-schema';

/**
 * Builds the error a plugin sees when its database cannot be opened or created: it names the
 * plugin, the database and the config key to fix, and keeps the driver's error as `cause`.
 */
export function describeDatabaseError(
  error: unknown,
  settings: PluginDatabaseSettings,
  operation: DatabaseOperation,
): Error {
  const engine = engineNames[settings.engine];
  const code = findCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const target = describeTarget(settings);
  const user = settings.connection.user as string | undefined;
  const key = `'${settings.connectionKey}'`;

  let reason: string;
  let fix: string;
  if (settings.engine === 'sqlite') {
    reason = `SQLite could not open '${settings.databaseName}'`;
    fix = `Check that the directory in ${key} exists or can be created, and is writable.`;
  } else if (code && networkCodes.has(code)) {
    reason = `cannot reach ${engine} at ${target}`;
    fix = `Check the host and port in ${key} and that the server is running.`;
  } else if (code && authCodes.has(code)) {
    reason = `${engine} at ${target} rejected the login of user '${user ?? '(default)'}'`;
    fix = `Check the user and password in ${key}.`;
  } else if (code && missingDatabaseCodes.has(code)) {
    reason = `the database does not exist on ${engine} at ${target}`;
    fix =
      `Create it, or set '${settings.ensureExistsKey}' to true so that Backplane creates it ` +
      `(the user then needs the right to create databases).`;
  } else if (code && privilegeCodes.has(code) && operation !== 'open') {
    reason = `user '${user ?? '(default)'}' may not create it on ${engine} at ${target}`;
    fix =
      `Create it beforehand and set '${settings.ensureExistsKey}' to false, or grant the user ` +
      `the right to create ${operation === 'create-schema' ? 'schemas' : 'databases'}.`;
  } else {
    reason = `${engine} at ${target} failed`;
    fix = `Check ${key} and the server's log.`;
  }

  const what =
    operation === 'create-schema'
      ? `create the schema '${settings.schemaName}' in the database '${settings.databaseName ?? '(default)'}'`
      : operation === 'create-database'
        ? `create the database '${settings.databaseName}'`
        : `open the database '${settings.databaseName ?? '(default)'}'`;
  const codeText = code && !detail.startsWith(code) ? `${code}: ` : '';
  const message =
    `Failed to ${what} for plugin '${settings.pluginId}': ${reason} (${codeText}${detail}). ` + fix;
  return new Error(message, { cause: error });
}

function describeTarget(settings: PluginDatabaseSettings): string {
  const { host, port, socketPath } = settings.connection as Record<string, unknown>;
  if (typeof socketPath === 'string') {
    return socketPath;
  }
  const defaultPort = settings.engine === 'pg' ? 5432 : 3306;
  return `${host ?? 'localhost'}:${port ?? defaultPort}`;
}

function findCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown; errors?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && current.code) {
      return current.code;
    }
    if (Array.isArray(current.errors) && current.errors.length > 0) {
      current = current.errors[0] as typeof current;
      continue;
    }
    current = current.cause as typeof current;
  }
  return undefined;
}
