import type { Knex } from 'knex';

/** Sends one statement over the connection held by {@link withOneConnection}. */
export type OneConnectionQuery = (sql: string, bindings: readonly Knex.Value[]) => Promise<any>;

/**
 * Runs `task` with a query function bound to one connection of `client`, held until the task
 * ends. No transaction is opened, so a session lock taken on it holds up nothing else (an open
 * transaction would, for example, stall PostgreSQL's `CREATE INDEX CONCURRENTLY`).
 */
export async function withOneConnection<T>(
  client: Knex,
  task: (query: OneConnectionQuery) => Promise<T>,
): Promise<T> {
  const connection = await client.client.acquireConnection();
  try {
    return await task((sql, bindings) => client.raw(sql, bindings).connection(connection));
  } finally {
    await client.client.releaseConnection(connection);
  }
}
