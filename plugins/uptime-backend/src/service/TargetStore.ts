import type { Knex } from 'knex';
import type { CheckResult, Target, TargetSummary } from './types';

const TARGETS = 'uptime_targets';
const RESULTS = 'uptime_results';
const DAY_MS = 24 * 60 * 60 * 1000;

/** What is needed to store a new target. */
export interface NewTarget {
  url: string;
  name: string;
  createdBy: string;
}

function toIso(value: Date | string | number): string {
  return new Date(value).toISOString();
}

function toTarget(row: Record<string, any>): Target {
  return {
    id: Number(row.id),
    url: row.url,
    name: row.name,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    ...(row.last_checked_at !== null ? { lastCheckedAt: toIso(row.last_checked_at) } : {}),
  };
}

function toResult(row: Record<string, any>): CheckResult {
  return {
    checkedAt: toIso(row.checked_at),
    status: row.status,
    ...(row.status_code !== null ? { statusCode: Number(row.status_code) } : {}),
    latencyMs: Number(row.latency_ms),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

/**
 * Reads and writes targets and check results; the only place that knows the tables. Times are
 * written as `Date` objects from this process, never as database defaults, so they read back the
 * same on SQLite, PostgreSQL and MySQL.
 */
export class TargetStore {
  constructor(private readonly knex: Knex) {}

  async count(): Promise<number> {
    const [{ count }] = await this.knex(TARGETS).count({ count: '*' });
    return Number(count);
  }

  /** All targets, by id. */
  async list(): Promise<Target[]> {
    const rows = await this.knex(TARGETS).select('*').orderBy('id');
    return rows.map(toTarget);
  }

  /** All targets, those checked longest ago (or never) first, so a run cut short by its timeout is made up next time. */
  async listByLastCheck(): Promise<Target[]> {
    const rows = await this.knex(TARGETS)
      .select('*')
      .orderBy([{ column: 'last_checked_at', order: 'asc', nulls: 'first' }, { column: 'id' }]);
    return rows.map(toTarget);
  }

  async get(id: number): Promise<Target | undefined> {
    const row = await this.knex(TARGETS).where({ id }).first();
    return row ? toTarget(row) : undefined;
  }

  /** Stores a target; a URL that is already watched fails with a unique-constraint error. */
  async create(target: NewTarget): Promise<Target> {
    const row = {
      url: target.url,
      name: target.name,
      created_by: target.createdBy,
      created_at: new Date(),
    };
    // PostgreSQL reports the new id through RETURNING; SQLite and MySQL return it directly.
    const [inserted] =
      this.knex.client.config.client === 'pg'
        ? await this.knex(TARGETS).insert(row, ['id'])
        : await this.knex(TARGETS).insert(row);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return (await this.get(Number(id)))!;
  }

  /** Deletes a target and its results; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return this.knex.transaction(async tx => {
      await tx(RESULTS).where({ target_id: id }).delete();
      return (await tx(TARGETS).where({ id }).delete()) > 0;
    });
  }

  /** Stores the result of a check and marks the target as checked; a deleted target is skipped. */
  async addResult(targetId: number, result: CheckResult): Promise<void> {
    const checkedAt = new Date(result.checkedAt);
    await this.knex.transaction(async tx => {
      const updated = await tx(TARGETS)
        .where({ id: targetId })
        .update({ last_checked_at: checkedAt });
      if (updated === 0) {
        return;
      }
      await tx(RESULTS).insert({
        target_id: targetId,
        checked_at: checkedAt,
        status: result.status,
        status_code: result.statusCode ?? null,
        latency_ms: result.latencyMs,
        error: result.error?.slice(0, 500) ?? null,
      });
    });
  }

  /** The target with its latest result and 24-hour uptime, or undefined when it does not exist. */
  async summary(id: number, now = new Date()): Promise<TargetSummary | undefined> {
    const target = await this.get(id);
    if (!target) {
      return undefined;
    }
    const latest = await this.knex(RESULTS)
      .where({ target_id: id })
      .orderBy([
        { column: 'checked_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    const [totals] = await this.knex(RESULTS)
      .where({ target_id: id })
      .andWhere('checked_at', '>=', new Date(now.getTime() - DAY_MS))
      .select(
        this.knex.raw('count(*) as total'),
        this.knex.raw(`sum(case when status = 'up' then 1 else 0 end) as ups`),
      );
    const total = Number(totals?.total ?? 0);

    const lastResult = latest ? toResult(latest) : undefined;
    return {
      ...target,
      status: lastResult?.status ?? 'unknown',
      ...(lastResult ? { lastResult } : {}),
      ...(total > 0 ? { uptime24h: Number(totals.ups) / total } : {}),
    };
  }

  /** Deletes results checked before `before`; returns how many went. */
  async pruneResults(before: Date): Promise<number> {
    return this.knex(RESULTS).where('checked_at', '<', before).delete();
  }
}
