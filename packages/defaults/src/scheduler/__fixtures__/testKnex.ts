import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { LoggerService } from '@backplane/plugin-api';

/** The database engines the scheduler tests run on. */
export type TestDialect = 'sqlite' | 'postgres' | 'mysql';

export const TEST_DIALECTS: TestDialect[] = ['sqlite', 'postgres', 'mysql'];

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A uniquely named database on one engine, with a way to open more clients on it and drop it. */
export interface TestDatabase {
  dialect: TestDialect;
  name: string;
  /** Opens a new Knex client on the database (each one is like a separate replica). */
  connect(): Promise<Knex>;
  /** Destroys every client opened and drops the database. */
  cleanup(): Promise<void>;
}

function uniqueName(): string {
  return `bp_sched_${randomBytes(6).toString('hex')}`;
}

/** Creates a fresh database on `dialect`. SQLite uses one shared temp file so clients share it. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const name = uniqueName();
  const clients: Knex[] = [];
  const track = (k: Knex) => {
    clients.push(k);
    return k;
  };
  const destroyAll = async () => {
    await Promise.all(clients.map(k => k.destroy()));
  };

  if (dialect === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'bp-sched-'));
    const filename = join(dir, `${name}.sqlite`);
    return {
      dialect,
      name,
      async connect() {
        return track(
          knexFactory({
            client: 'better-sqlite3',
            connection: { filename },
            useNullAsDefault: true,
          }),
        );
      },
      async cleanup() {
        await destroyAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  if (dialect === 'postgres') {
    const admin = knexFactory({ client: 'pg', connection: { ...PG, database: 'test' } });
    await admin.raw(`CREATE DATABASE ${name}`);
    return {
      dialect,
      name,
      async connect() {
        return track(
          knexFactory({
            client: 'pg',
            connection: { ...PG, database: name },
            pool: { min: 0, max: 4 },
          }),
        );
      },
      async cleanup() {
        await destroyAll();
        await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.destroy();
      },
    };
  }

  const admin = knexFactory({ client: 'mysql2', connection: { ...MYSQL } });
  await admin.raw(`CREATE DATABASE \`${name}\``);
  return {
    dialect,
    name,
    async connect() {
      return track(
        knexFactory({
          client: 'mysql2',
          connection: { ...MYSQL, database: name },
          pool: { min: 0, max: 4 },
        }),
      );
    },
    async cleanup() {
      await destroyAll();
      await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}

/** A log line captured by {@link createCapturingLogger}. */
export interface CapturedLog {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
  fields: Record<string, unknown>;
}

/** A logger that records what it is told, for assertions. */
export function createCapturingLogger(
  lines: CapturedLog[] = [],
  fields: Record<string, unknown> = {},
): LoggerService & { lines: CapturedLog[] } {
  const log = (level: CapturedLog['level']) => (message: string, meta?: unknown) => {
    lines.push({ level, message, meta, fields });
  };
  return {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => createCapturingLogger(lines, { ...fields, ...meta }),
  };
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; throws with `what` on timeout. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) {
      return;
    }
    await delay(20);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
