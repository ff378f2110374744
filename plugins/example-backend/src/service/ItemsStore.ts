import type { Knex } from 'knex';

/** One row of the `items` table. */
export interface Item {
  id: number;
  title: string;
  createdBy: string;
  createdAt: string;
}

/** Reads and writes items; the only place that knows the table layout. */
export class ItemsStore {
  constructor(private readonly knex: Knex) {}

  async list(limit = 100): Promise<Item[]> {
    const rows = await this.knex('items').select('*').orderBy('id').limit(limit);
    return rows.map(row => ({
      id: row.id,
      title: row.title,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  async create(title: string, createdBy: string): Promise<Item> {
    const row = { title, created_by: createdBy };
    // PostgreSQL reports the new id through RETURNING; SQLite and MySQL return it directly.
    const [inserted] = this.isPostgres()
      ? await this.knex('items').insert(row, ['id'])
      : await this.knex('items').insert(row);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    const stored = await this.knex('items').where({ id }).first();
    return {
      id: stored.id,
      title: stored.title,
      createdBy: stored.created_by,
      createdAt: new Date(stored.created_at).toISOString(),
    };
  }

  private isPostgres(): boolean {
    return this.knex.client.config.client === 'pg';
  }
}
