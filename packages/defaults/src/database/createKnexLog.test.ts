import { describe, expect, it } from 'vitest';
import { knex } from 'knex';
import { PinoLogger } from '../rootLogger/PinoLogger';
import { createKnexLog } from './createKnexLog';

/** A plugin logger writing JSON lines into an array, as in production. */
function capture() {
  const lines: string[] = [];
  const logger = PinoLogger.create({
    format: 'json',
    level: 'debug',
    destination: { write: line => lines.push(line) },
  }).child({ plugin: 'catalog' });
  const json = () => lines.map(line => JSON.parse(line));
  return { logger, lines, json };
}

describe('createKnexLog', () => {
  it('should keep the text of Knex warnings, errors and debug messages in JSON logs', () => {
    const { logger, json } = capture();
    const log = createKnexLog(logger);

    log.warn('Migration table is already locked');
    log.error('Pool was destroyed');
    log.debug('Pool created');
    log.deprecate('knex.raw().client', 'knex.client');

    expect(json()).toEqual([
      expect.objectContaining({
        level: 'warn',
        plugin: 'catalog',
        message: 'Knex warning',
        detail: 'Migration table is already locked',
      }),
      expect.objectContaining({
        level: 'error',
        message: 'Knex error',
        detail: 'Pool was destroyed',
      }),
      expect.objectContaining({
        level: 'debug',
        message: 'Knex debug message',
        detail: 'Pool created',
      }),
      expect.objectContaining({
        level: 'warn',
        message: 'Knex deprecation',
        method: 'knex.raw().client',
        alternative: 'knex.client',
      }),
    ]);
  });

  it('should log failed connection attempts at debug with their text', () => {
    const { logger, json } = capture();

    createKnexLog(logger).warn('Acquire connection error: ECONNREFUSED');

    expect(json()).toEqual([
      expect.objectContaining({
        level: 'debug',
        message: 'Knex failed to open a connection',
        detail: 'Acquire connection error: ECONNREFUSED',
      }),
    ]);
  });

  it('should receive the warnings Knex itself writes', async () => {
    const { logger, json } = capture();

    // better-sqlite3 without `useNullAsDefault` makes Knex warn as the client is created.
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      log: createKnexLog(logger),
    });
    await db.destroy();

    expect(json()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Knex warning',
        detail: expect.stringContaining('sqlite does not support inserting default values'),
      }),
    );
  });

  it('should log the warnings of a taken migration lock at debug, not the unlock advice as a warning', async () => {
    const { logger, json } = capture();
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
      log: createKnexLog(logger),
    });
    try {
      // The tables as Knex leaves them when a process died mid-migration.
      await db.schema.createTable('knex_migrations', table => {
        table.increments('id');
        table.string('name');
        table.integer('batch');
        table.timestamp('migration_time');
      });
      await db.schema.createTable('knex_migrations_lock', table => {
        table.increments('index');
        table.integer('is_locked');
      });
      await db('knex_migrations_lock').insert({ is_locked: 1 });
      const migrationSource = {
        getMigrations: async () => ['001_init'],
        getMigrationName: (name: string) => name,
        getMigration: async () => ({ up: async () => {}, down: async () => {} }),
      };

      await expect(db.migrate.latest({ migrationSource })).rejects.toThrow(
        'Migration table is already locked',
      );
    } finally {
      await db.destroy();
    }

    const lines = json();
    expect(lines.filter(line => line.level === 'warn')).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        message: 'Knex found its migration lock taken',
        detail: expect.stringContaining('knex migrate:unlock'),
      }),
    );
  });
});
