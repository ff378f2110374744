// @ts-check
'use strict';

const path = require('node:path');
const createKnex = require('knex');

/**
 * What the plain servers share: a knex client on the file-backed SQLite the bench seeded, the
 * same query and row mapping as the example plugin's ItemsStore, and the static-token check.
 * @param {{ dataDir: string, token: string }} options
 */
function createPlainItems(options) {
  const knex = createKnex({
    client: 'better-sqlite3',
    connection: { filename: path.join(options.dataDir, 'example.sqlite') },
    useNullAsDefault: true,
  });
  const expected = `Bearer ${options.token}`;

  /** @param {string | undefined} header */
  function isAuthorized(header) {
    return header === expected;
  }

  async function listItems(limit = 100) {
    const rows = await knex('items').select('*').orderBy('id').limit(limit);
    return rows.map(row => ({
      id: row.id,
      title: row.title,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  return { knex, isAuthorized, listItems };
}

module.exports = { createPlainItems };
