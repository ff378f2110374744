import type { Knex } from 'knex';

const MIGRATIONS_TABLE = 'auth_dev_knex_migrations';

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return ['20261203_init'];
  },
  getMigrationName: name => name,
  async getMigration() {
    return {
      async up(knex: Knex) {
        await knex.schema.createTable('auth_dev_public_keys', table => {
          table.string('kid').primary().notNullable().comment('Key id');
          table.text('key').notNullable().comment('Public key as JWK JSON');
          table
            .string('expires_at')
            .notNullable()
            .comment('ISO time the key stops being published');
        });
        await knex.schema.createTable('auth_dev_user_info', table => {
          table.string('user_entity_ref').primary().notNullable();
          table.text('ownership_entity_refs').notNullable().comment('JSON array of entity refs');
          table.string('updated_at').notNullable();
        });
      },
      async down(knex: Knex) {
        await knex.schema.dropTable('auth_dev_user_info');
        await knex.schema.dropTable('auth_dev_public_keys');
      },
    };
  },
};

/** Creates the dev sign-in plugin's tables in its own database. */
export async function migrateDevTables(knex: Knex): Promise<void> {
  await knex.migrate.latest({ tableName: MIGRATIONS_TABLE, migrationSource });
}

/** The ownership refs of each user a token was issued to, for `/v1/userinfo` with limited tokens. */
export class DevUserInfoStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async save(userEntityRef: string, ownershipEntityRefs: string[]): Promise<void> {
    await this.#knex('auth_dev_user_info')
      .insert({
        user_entity_ref: userEntityRef,
        ownership_entity_refs: JSON.stringify(ownershipEntityRefs),
        updated_at: new Date().toISOString(),
      })
      .onConflict('user_entity_ref')
      .merge();
  }

  async get(userEntityRef: string): Promise<string[] | undefined> {
    const row = await this.#knex('auth_dev_user_info')
      .where({ user_entity_ref: userEntityRef })
      .first();
    return row ? (JSON.parse(row.ownership_entity_refs) as string[]) : undefined;
  }
}
