import type { Knex } from 'knex';
import type { LoggerService } from '@backplane/plugin-api';
import type { PublicKeyEntry } from './types';

/** The table that holds a plugin's public keys, shared by every replica of the plugin. */
export const PUBLIC_KEYS_TABLE = 'backstage_backend_public_keys__keys';

/**
 * The migrations table and migration name match the official runtime, so both runtimes can use
 * the same plugin database.
 */
const MIGRATIONS_TABLE = 'backstage_backend_public_keys__knex_migrations';
const MIGRATION_NAME = '20240327104803_public_keys.js';
const LOCK_RETRIES = 20;

const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.createTable(PUBLIC_KEYS_TABLE, table => {
      table.string('id').primary().notNullable().comment('Key id (kid) of the public key');
      table.text('key').notNullable().comment('The public key as JSON (JWK)');
      table.string('expires_at').notNullable().comment('ISO time after which the key is removed');
    });
  },
  async down(knex) {
    await knex.schema.dropTable(PUBLIC_KEYS_TABLE);
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return [MIGRATION_NAME];
  },
  getMigrationName(name) {
    return name;
  },
  async getMigration() {
    return migration;
  },
};

function isLockError(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return /already locked|lock/i.test(text) && /migration/i.test(text);
}

/** Creates the public keys table, retrying while another replica holds the migration lock. */
export async function migratePublicKeysTable(knex: Knex): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ tableName: MIGRATIONS_TABLE, migrationSource });
      return;
    } catch (error) {
      if (!isLockError(error) || attempt >= LOCK_RETRIES) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 100 * attempt));
    }
  }
}

type Row = { id: string; key: string; expires_at: string };

/** Stores the public half of a plugin's signing keys in the plugin's database. */
export class DatabaseKeyStore {
  readonly #knex: Knex;
  readonly #logger: LoggerService;

  constructor(knex: Knex, logger: LoggerService) {
    this.#knex = knex;
    this.#logger = logger;
  }

  async addKey(entry: PublicKeyEntry): Promise<void> {
    await this.#knex<Row>(PUBLIC_KEYS_TABLE).insert({
      id: entry.key.kid,
      key: JSON.stringify(entry.key),
      expires_at: entry.expiresAt.toISOString(),
    });
  }

  /** Lists the keys that have not expired, and removes expired ones in the background. */
  async listKeys(): Promise<{ keys: PublicKeyEntry[] }> {
    const rows = await this.#knex<Row>(PUBLIC_KEYS_TABLE).select('id', 'key', 'expires_at');
    const now = Date.now();
    const keys: PublicKeyEntry[] = [];
    const expired: string[] = [];
    for (const row of rows) {
      const expiresAt = new Date(row.expires_at);
      if (!(expiresAt.getTime() > now)) {
        expired.push(row.id);
        continue;
      }
      try {
        keys.push({ id: row.id, key: JSON.parse(row.key), expiresAt });
      } catch (error) {
        this.#logger.warn('Skipping an unreadable plugin public key', { kid: row.id, error });
      }
    }

    if (expired.length > 0) {
      this.#knex<Row>(PUBLIC_KEYS_TABLE)
        .whereIn('id', expired)
        .delete()
        .then(
          () => this.#logger.info('Removed expired plugin public keys', { kids: expired }),
          error => this.#logger.warn('Failed to remove expired plugin public keys', { error }),
        );
    }
    return { keys };
  }
}
