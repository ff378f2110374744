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
    const [inserted] = await this.knex('items').insert({ title, created_by: createdBy }, ['id']);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    const row = await this.knex('items').where({ id }).first();
    return {
      id: row.id,
      title: row.title,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
    };
  }
}
