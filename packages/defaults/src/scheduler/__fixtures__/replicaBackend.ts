/**
 * One replica for `replicas.test.ts`: a full backend with one plugin whose global task runs
 * every 2 s and records each run (its replica, slot and times) in the plugin's database.
 * Run with: node --conditions=source --import tsx replicaBackend.ts --config <file>
 * Env: REPLICA_ID names the replica.
 */
import { createBackend } from '@backplane/defaults';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';

const replica = process.env.REPLICA_ID ?? `replica-${process.pid}`;

function report(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ replica, at: Date.now(), ...event })}\n`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const replicatedPlugin = createBackendPlugin({
  pluginId: 'replicated',
  register(reg) {
    reg.registerInit({
      deps: { scheduler: coreServices.scheduler, database: coreServices.database },
      async init({ scheduler, database }) {
        const knex = await database.getClient();
        // Replicas start together; PostgreSQL may reject a concurrent CREATE TABLE IF NOT EXISTS.
        await knex
          .raw(
            `CREATE TABLE IF NOT EXISTS replica_runs (
          id serial PRIMARY KEY,
          replica text NOT NULL,
          slot_ms bigint NOT NULL,
          expires_ms bigint NOT NULL,
          started_ms bigint NOT NULL,
          ended_ms bigint
        )`,
          )
          .catch(async error => {
            if (!(await knex.schema.hasTable('replica_runs'))) {
              throw error;
            }
          });
        await scheduler.scheduleTask({
          id: 'tick',
          frequency: { seconds: 2 },
          timeout: { seconds: 6 },
          fn: async signal => {
            const startedMs = Date.now();
            // While a run holds the claim, its row still names the slot it serves.
            const task = await knex('backstage_backend_tasks__tasks').where('id', 'tick').first();
            const [{ id }] = await knex('replica_runs')
              .insert({
                replica,
                slot_ms: new Date(task.next_run_start_at).getTime(),
                expires_ms: new Date(task.current_run_expires_at).getTime(),
                started_ms: startedMs,
              })
              .returning('id');
            report({ event: 'start', runId: id });
            await sleep(1200, signal);
            await knex('replica_runs').where({ id }).update({ ended_ms: Date.now() });
            report({ event: 'end', runId: id });
          },
        });
      },
    });
  },
});

async function main() {
  const backend = createBackend();
  backend.add(replicatedPlugin);
  await backend.start();
  report({ event: 'ready' });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
