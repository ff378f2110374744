import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backplane/plugin-api';
import {
  firstRunAt,
  nextRunAfter,
  nextRunAfterChange,
  parseStoredSettings,
  type TaskSettings,
} from './taskSettings';

/** The table that holds the state of a plugin's global tasks, in the plugin's own database. */
export const TASKS_TABLE = 'backstage_backend_tasks__tasks';

/** One row of {@link TASKS_TABLE}, with times normalised to `Date`. */
export interface TaskRow {
  id: string;
  settingsJson: string;
  nextRunStartAt: Date | null;
  currentRunTicket: string | null;
  currentRunStartedAt: Date | null;
  currentRunExpiresAt: Date | null;
  lastRunEndedAt: Date | null;
  lastRunErrorJson: string | null;
}

/** How a run ended, for {@link TaskStore.release}. */
export interface TaskRelease {
  /** When the run ended. */
  endedAt: Date;
  /** The next slot; `undefined` keeps the current one so another replica picks it up now. */
  nextRunAt?: Date | null;
  error?: unknown;
}

const schemaReady = new WeakMap<Knex, Promise<void>>();

/** Turns whatever a driver returns for a timestamp column into a `Date`. */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return new Date(Number(value));
  }
  const text = String(value);
  if (/^\d+$/.test(text)) {
    return new Date(Number(text));
  }
  // SQLite's own CURRENT_TIMESTAMP format is UTC without a zone.
  return new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text}Z` : text);
}

function toRow(raw: Record<string, unknown>): TaskRow {
  return {
    id: String(raw.id),
    settingsJson: String(raw.settings_json ?? ''),
    nextRunStartAt: toDate(raw.next_run_start_at),
    currentRunTicket: (raw.current_run_ticket as string | null) ?? null,
    currentRunStartedAt: toDate(raw.current_run_started_at),
    currentRunExpiresAt: toDate(raw.current_run_expires_at),
    lastRunEndedAt: toDate(raw.last_run_ended_at),
    lastRunErrorJson: (raw.last_run_error_json as string | null) ?? null,
  };
}

/** Serialises a run error the way it is stored in `last_run_error_json`. */
export function serializeRunError(error: unknown): string {
  if (error instanceof Error) {
    return JSON.stringify({ name: error.name, message: error.message });
  }
  return JSON.stringify({ name: 'Error', message: String(error) });
}

/** True when a row holds a claim whose lease has not run out at `now`. */
export function isLiveClaim(row: TaskRow, now: Date): boolean {
  if (!row.currentRunTicket) {
    return false;
  }
  return !row.currentRunExpiresAt || row.currentRunExpiresAt.getTime() >= now.getTime();
}

/**
 * Reads and writes the shared state of global tasks. Every change that decides who runs a task
 * is a single conditional UPDATE, so replicas sharing the database agree without locks.
 */
export class TaskStore {
  readonly #knex: Knex;
  readonly #pluginId: string;

  constructor(knex: Knex, pluginId: string) {
    this.#knex = knex;
    this.#pluginId = pluginId;
  }

  /** Creates the tasks table if it is missing; safe when several replicas start at once. */
  ensureSchema(): Promise<void> {
    let ready = schemaReady.get(this.#knex);
    if (!ready) {
      ready = this.#createSchema();
      schemaReady.set(this.#knex, ready);
      ready.catch(() => schemaReady.delete(this.#knex));
    }
    return ready;
  }

  async #createSchema(): Promise<void> {
    const knex = this.#knex;
    if (await knex.schema.hasTable(TASKS_TABLE)) {
      return;
    }
    try {
      await knex.schema.createTable(TASKS_TABLE, table => {
        table.string('id', 255).primary().notNullable();
        table.text('settings_json').notNullable();
        table.datetime('next_run_start_at', { precision: 3 }).nullable();
        table.string('current_run_ticket', 255).nullable();
        table.datetime('current_run_started_at', { precision: 3 }).nullable();
        table.datetime('current_run_expires_at', { precision: 3 }).nullable();
        table.datetime('last_run_ended_at', { precision: 3 }).nullable();
        table.text('last_run_error_json').nullable();
      });
    } catch (error) {
      // Another replica may have created it between the check and the create.
      if (!(await knex.schema.hasTable(TASKS_TABLE))) {
        throw new Error(
          `Scheduler of plugin '${this.#pluginId}' could not create table '${TASKS_TABLE}' ` +
            `in the plugin's database; check that the database user may create tables`,
          { cause: error },
        );
      }
    }
  }

  /** Reads one task, or undefined when it has no row. */
  async read(taskId: string): Promise<TaskRow | undefined> {
    const raw = await this.#knex(TASKS_TABLE).where('id', taskId).first();
    return raw ? toRow(raw) : undefined;
  }

  /** Reads every task of the plugin. */
  async readAll(): Promise<TaskRow[]> {
    const rows = await this.#knex(TASKS_TABLE).select();
    return rows.map(toRow);
  }

  /**
   * Stores a task's settings. A new task gets its first run time; a task whose settings changed
   * gets the new settings and a next run recomputed from now; unchanged tasks are left alone.
   */
  async persist(taskId: string, settings: TaskSettings, now: Date): Promise<void> {
    const knex = this.#knex;
    const settingsJson = JSON.stringify(settings);
    await knex(TASKS_TABLE)
      .insert({
        id: taskId,
        settings_json: settingsJson,
        next_run_start_at: firstRunAt(settings, now),
      })
      .onConflict('id')
      .ignore();

    const row = await this.read(taskId);
    if (!row || row.settingsJson === settingsJson) {
      return;
    }
    const update: Record<string, unknown> = { settings_json: settingsJson };
    if (!isLiveClaim(row, now)) {
      update.next_run_start_at = nextRunAfterChange(settings, row.nextRunStartAt, now);
    }
    await knex(TASKS_TABLE).where('id', taskId).update(update);
  }

  /**
   * Claims a due task for one run: succeeds only when its slot has come and nobody holds a live
   * claim (an expired claim, from a replica that died, is taken over).
   */
  async claim(taskId: string, ticket: string, now: Date, expiresAt: Date): Promise<boolean> {
    const count = await this.#knex(TASKS_TABLE)
      .where('id', taskId)
      .where('next_run_start_at', '<=', now)
      .where(q => q.whereNull('current_run_ticket').orWhere('current_run_expires_at', '<', now))
      .update({
        current_run_ticket: ticket,
        current_run_started_at: now,
        current_run_expires_at: expiresAt,
      });
    return Number(count) === 1;
  }

  /** Releases a claim if it is still held by `ticket`; returns whether it was. */
  async release(taskId: string, ticket: string, release: TaskRelease): Promise<boolean> {
    const update: Record<string, unknown> = {
      current_run_ticket: null,
      current_run_started_at: null,
      current_run_expires_at: null,
      last_run_ended_at: release.endedAt,
      last_run_error_json: release.error === undefined ? null : serializeRunError(release.error),
    };
    if (release.nextRunAt !== undefined) {
      update.next_run_start_at = release.nextRunAt;
    }
    const count = await this.#knex(TASKS_TABLE)
      .where('id', taskId)
      .where('current_run_ticket', ticket)
      .update(update);
    return Number(count) === 1;
  }

  /** True while `ticket` still holds the claim of the task. */
  async holdsClaim(taskId: string, ticket: string): Promise<boolean> {
    const row = await this.#knex(TASKS_TABLE)
      .where('id', taskId)
      .select('current_run_ticket')
      .first();
    return row?.current_run_ticket === ticket;
  }

  /** Makes a task due now. Throws NotFoundError for an unknown task, ConflictError while it runs. */
  async trigger(taskId: string, now: Date): Promise<void> {
    const count = await this.#knex(TASKS_TABLE)
      .where('id', taskId)
      .where(q => q.whereNull('current_run_ticket').orWhere('current_run_expires_at', '<', now))
      .update({ next_run_start_at: now });
    if (Number(count) === 1) {
      return;
    }
    if (!(await this.read(taskId))) {
      throw this.#notFound(taskId);
    }
    throw new ConflictError(
      `Task '${taskId}' of plugin '${this.#pluginId}' is running; wait for it to finish or cancel it first.`,
    );
  }

  /**
   * Ends the current run of a task: the claim is released, the run recorded as cancelled and the
   * next slot computed. The replica running it sees its claim gone and aborts the task's signal.
   */
  async cancel(taskId: string, now: Date, fallback?: TaskSettings): Promise<void> {
    const row = await this.read(taskId);
    if (!row) {
      throw this.#notFound(taskId);
    }
    if (!isLiveClaim(row, now)) {
      throw new ConflictError(
        `Task '${taskId}' of plugin '${this.#pluginId}' is not running, so there is nothing to cancel.`,
      );
    }
    const settings = parseStoredSettings(row.settingsJson) ?? fallback;
    const released = await this.release(taskId, row.currentRunTicket!, {
      endedAt: now,
      nextRunAt: settings ? nextRunAfter(settings, row.nextRunStartAt, now) : undefined,
      error: Object.assign(new Error('Task was cancelled'), { name: 'AbortError' }),
    });
    if (!released) {
      throw new ConflictError(
        `Task '${taskId}' of plugin '${this.#pluginId}' finished before it could be cancelled.`,
      );
    }
  }

  #notFound(taskId: string): NotFoundError {
    return new NotFoundError(
      `Task '${taskId}' is not scheduled in plugin '${this.#pluginId}'; ` +
        `see GET /.backstage/scheduler/v1/tasks for the tasks it has.`,
    );
  }
}
