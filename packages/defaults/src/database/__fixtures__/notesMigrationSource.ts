import type { Knex } from 'knex';

/**
 * A Knex migration source of two migrations: '001_lists' (in a transaction) and '002_notes',
 * which runs `notesUp` without a transaction, as `exports.config = { transaction: false }` does.
 * Pass no `notesUp` to list '001_lists' only.
 */
export function notesMigrationSource(notesUp?: (knex: Knex) => Promise<void>) {
  const migrations: Record<string, (knex: Knex) => Promise<void>> = {
    '001_lists': knex => knex.schema.createTable('lists', table => table.string('name')),
  };
  if (notesUp) {
    migrations['002_notes'] = notesUp;
  }
  return {
    getMigrations: async () => Object.keys(migrations),
    getMigrationName: (name: string) => name,
    getMigration: async (name: string) => ({
      up: migrations[name]!,
      down: async () => {},
      ...(name === '002_notes' && { config: { transaction: false } }),
    }),
  };
}
