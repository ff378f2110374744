import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import knexFactory from 'knex';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const FIXTURE = resolve(__dirname, '__fixtures__/replicaBackend.ts');
const WINDOW_MS = 60_000;
const CADENCE_MS = 2000;
const LEASE_MS = 6000 + 1000;

interface Replica {
  id: string;
  child: ChildProcess;
  events: Array<{ event: string; at: number; runId?: number }>;
  exited: Promise<number | null>;
  stderr: string[];
}

interface RunRow {
  id: number;
  replica: string;
  slot_ms: string;
  expires_ms: string;
  started_ms: string;
  ended_ms: string | null;
}

function startReplica(id: string, configFile: string): Replica {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', FIXTURE, '--config', configFile],
    {
      cwd: resolve(__dirname, '../../../..'),
      env: { ...process.env, REPLICA_ID: id, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const replica: Replica = {
    id,
    child,
    events: [],
    stderr: [],
    exited: new Promise(resolveExit => child.once('exit', code => resolveExit(code))),
  };
  let buffer = '';
  child.stdout!.on('data', chunk => {
    buffer += String(chunk);
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        replica.events.push(JSON.parse(line));
      } catch {
        // Log lines of the backend itself are not events.
      }
      newline = buffer.indexOf('\n');
    }
  });
  child.stderr!.on('data', chunk => replica.stderr.push(String(chunk)));
  return replica;
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('scheduler replicas', () => {
  const prefix = `bp_rep_${randomBytes(4).toString('hex')}_`;
  const workDir = mkdtempSync(join(tmpdir(), 'bp-replicas-'));
  const replicas: Replica[] = [];

  afterAll(async () => {
    for (const r of replicas) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGKILL');
      }
    }
    await Promise.all(replicas.map(r => r.exited));
    const admin = knexFactory({ client: 'pg', connection: { ...PG, database: 'test' } });
    await admin.raw(`DROP DATABASE IF EXISTS ${prefix}replicated WITH (FORCE)`);
    await admin.destroy();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('should run each slot once across three backends on one PostgreSQL database and take over after a SIGKILL', async () => {
    const configFile = join(workDir, 'app-config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl: 'http://localhost:7007',
          listen: { host: '127.0.0.1', port: 0 },
          database: { client: 'pg', connection: PG, prefix, ensureExists: true },
        },
      }),
    );
    for (const id of ['r1', 'r2', 'r3']) {
      replicas.push(startReplica(id, configFile));
    }
    const describeFailures = () =>
      replicas.map(r => `${r.id} (exit ${r.child.exitCode}): ${r.stderr.join('').slice(-2000)}`);
    await until(
      'three ready replicas',
      () => replicas.every(r => r.events.some(e => e.event === 'ready')),
      30_000,
    ).catch(error => {
      throw new Error(`${error.message}\n${describeFailures().join('\n')}`);
    });
    const windowStart = Date.now();

    // A third of the way in, kill the replica that is in the middle of a run.
    await new Promise(r => setTimeout(r, WINDOW_MS / 3));
    let victim: Replica | undefined;
    let victimRunId: number | undefined;
    await until(
      'a run in progress',
      () => {
        for (const r of replicas) {
          const started = r.events.filter(e => e.event === 'start').map(e => e.runId);
          const ended = new Set(r.events.filter(e => e.event === 'end').map(e => e.runId));
          const open = started.find(id => !ended.has(id));
          const openAt = r.events.find(e => e.event === 'start' && e.runId === open)?.at ?? 0;
          if (open !== undefined && Date.now() - openAt < 600) {
            victim = r;
            victimRunId = open;
            return true;
          }
        }
        return false;
      },
      10_000,
    );
    victim!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await victim!.exited;

    await new Promise(r => setTimeout(r, Math.max(0, windowStart + WINDOW_MS - Date.now())));
    const survivors = replicas.filter(r => r !== victim);
    for (const r of survivors) {
      r.child.kill('SIGTERM');
    }
    const codes = await Promise.all(survivors.map(r => r.exited));
    expect(codes).toEqual([0, 0]);

    const knex = knexFactory({
      client: 'pg',
      connection: { ...PG, database: `${prefix}replicated` },
    });
    const rows: RunRow[] = await knex('replica_runs').orderBy('started_ms');
    await knex.destroy();
    const runs = rows.map(r => ({
      id: r.id,
      replica: r.replica,
      slot: Number(r.slot_ms),
      expires: Number(r.expires_ms),
      start: Number(r.started_ms),
      end: r.ended_ms === null ? null : Number(r.ended_ms),
    }));

    // The killed run never ended; every other run did, except one cut short by the final stop.
    const killed = runs.find(r => r.id === victimRunId)!;
    expect(killed.replica).toBe(victim!.id);
    expect(killed.end).toBeNull();
    const completed = runs.filter(r => r.end !== null);
    expect(completed.length).toBeGreaterThanOrEqual(20);

    // Each slot ran to completion once.
    const slots = completed.map(r => r.slot);
    expect(new Set(slots).size).toBe(slots.length);

    // No two runs overlapped; the killed run lasted until the kill.
    const spans = runs
      .map(r => ({ start: r.start, end: r.end ?? (r === killed ? killedAt : Infinity) }))
      .sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
    }

    // The killed claim was taken over by another replica once its lease ran out.
    const takeover = completed.find(r => r.slot === killed.slot);
    expect(takeover).toBeDefined();
    expect(takeover!.replica).not.toBe(victim!.id);
    expect(takeover!.start).toBeGreaterThanOrEqual(killed.expires);
    // The run starts a moment after its claim, so allow for a loaded machine.
    expect(killed.expires - killed.start).toBeGreaterThanOrEqual(LEASE_MS - 500);

    // Runs kept to the 2 s grid before and after the takeover.
    for (const run of completed) {
      expect((run.slot - runs[0].slot) % CADENCE_MS).toBe(0);
    }
  }, 85_000);
});
