import type { Knex } from 'knex';

/** A database private to the plugin. */
export interface DatabaseService {
  /** A Knex client connected to the plugin's own database. */
  getClient(): Promise<Knex>;
  migrations?: { skip?: boolean };
}
