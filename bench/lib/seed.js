// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');

/** How many rows every target's `items` table holds (all of them fit in one page of 100). */
const ROW_COUNT = 50;

/** The same rows for every target; fixed values so responses are byte-identical. */
function seedRows() {
  return Array.from({ length: ROW_COUNT }, (_, i) => ({
    id: i + 1,
    title: `Bench item ${i + 1}`,
    created_by: 'user:default/bench',
    created_at: '2026-01-01T00:00:00.000Z',
  }));
}

/**
 * Creates `<dataDir>/example.sqlite` with the plugin's table layout and the seed rows; used for the
 * plain servers, which run no migrations.
 * @param {string} dataDir
 */
function seedPlainDatabase(dataDir) {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'example.sqlite'));
  try {
    db.exec(
      [
        'create table if not exists `items` (',
        '`id` integer not null primary key autoincrement,',
        '`title` varchar(255) not null,',
        '`created_by` varchar(255) not null,',
        '`created_at` datetime not null default CURRENT_TIMESTAMP)',
      ].join(' '),
    );
    insertRows(db);
  } finally {
    db.close();
  }
}

/**
 * Inserts the seed rows into the `items` table that the plugin's migration created in one of the
 * SQLite files under `dataDir` (each runtime names its per-plugin file itself).
 * @param {string} dataDir
 * @returns {string} the file that was seeded
 */
function seedMigratedDatabase(dataDir) {
  const files = listSqliteFiles(dataDir);
  for (const file of files) {
    const db = new Database(file);
    try {
      const table = db
        .prepare("select name from sqlite_master where type = 'table' and name = 'items'")
        .get();
      if (table) {
        insertRows(db);
        return file;
      }
    } finally {
      db.close();
    }
  }
  throw new Error(
    `No SQLite file under '${dataDir}' has the 'items' table (found: ${files.join(', ') || 'none'}); ` +
      'the example plugin did not run its migration on the setup start',
  );
}

/** @param {string} dir @returns {string[]} */
function listSqliteFiles(dir) {
  /** @type {string[]} */
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSqliteFiles(full));
    else if (/\.(sqlite|sqlite3|db)$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** @param {import('better-sqlite3').Database} db */
function insertRows(db) {
  db.exec('delete from `items`');
  const insert = db.prepare(
    'insert into `items` (`id`, `title`, `created_by`, `created_at`) values (@id, @title, @created_by, @created_at)',
  );
  db.transaction(() => seedRows().forEach(row => insert.run(row)))();
}

module.exports = { ROW_COUNT, seedRows, seedPlainDatabase, seedMigratedDatabase };
