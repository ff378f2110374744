/** The engines that take a URL as `connection`. */
export type UrlConnectionEngine = 'pg' | 'mysql';

const sslModes: Record<string, boolean | { rejectUnauthorized: false }> = {
  disable: false,
  allow: false,
  prefer: true,
  require: true,
  'verify-ca': true,
  'verify-full': true,
  'no-verify': { rejectUnauthorized: false },
};

/**
 * Turns a `postgres://` or `mysql://` connection URL into the connection object of the driver,
 * so that it can be merged with per-plugin settings and given a database name per plugin.
 *
 * Query parameters become connection options (`?ssl=true&connectTimeout=5000`); `sslmode` is
 * read the way libpq reads it for PostgreSQL.
 */
export function parseConnectionString(
  engine: UrlConnectionEngine,
  connectionString: string,
  configKey: string,
): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch (error) {
    throw new Error(
      `Invalid database connection string in '${configKey}': it is not a URL. Use the form ` +
        `'${engine === 'pg' ? 'postgresql' : 'mysql'}://user:password@host:port/database', ` +
        `or give the connection as an object with host, port, user and password.`,
      { cause: error },
    );
  }

  const result: Record<string, unknown> = {};
  if (url.hostname) {
    result.host = decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  }
  if (url.port) {
    result.port = Number(url.port);
  }
  if (url.username) {
    result.user = decodeURIComponent(url.username);
  }
  if (url.password) {
    result.password = decodeURIComponent(url.password);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) {
    result.database = database;
  }

  for (const [name, value] of url.searchParams) {
    if (engine === 'pg' && name === 'sslmode') {
      if (value in sslModes) {
        result.ssl = sslModes[value];
      }
      continue;
    }
    result[name] = readParameterValue(value);
  }
  return result;
}

function readParameterValue(value: string): unknown {
  if (value === 'true') {
    return true;
  }
  if (value === 'false') {
    return false;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  return value;
}
