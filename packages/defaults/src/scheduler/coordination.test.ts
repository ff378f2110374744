import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import {
  createCapturingLogger,
  createTestDatabase,
  delay,
  TEST_DIALECTS,
  type TestDatabase,
} from './__fixtures__/testKnex';

interface Run {
  replica: string;
  start: number;
  end: number;
}

describe.each(TEST_DIALECTS)('global task coordination on %s', dialect => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.cleanup();
  });

  it('should run a global task once per slot across two schedulers sharing the database', async () => {
    const cadenceMs = 300;
    const runs: Run[] = [];
    const replicas = await Promise.all(
      ['a', 'b'].map(async replica => {
        const knex = await db.connect();
        const scheduler = DefaultSchedulerService.create({
          pluginId: 'shared',
          database: { getClient: async () => knex },
          logger: createCapturingLogger(),
          pollIntervalMs: 50,
          jitterMs: 20,
        });
        return { replica, scheduler };
      }),
    );
    for (const { replica, scheduler } of replicas) {
      await scheduler.scheduleTask({
        id: 'shared-task',
        frequency: { milliseconds: cadenceMs },
        timeout: { seconds: 10 },
        fn: async () => {
          const start = Date.now();
          await delay(100);
          runs.push({ replica, start, end: Date.now() });
        },
      });
    }
    await delay(3000);
    await Promise.all(replicas.map(r => r.scheduler.stop()));

    runs.sort((x, y) => x.start - y.start);
    // About one run per 300 ms slot in 3 s, never two at a time.
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(runs.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
    }
    // Each run sits in its own slot of the grid that the first run started.
    const slots = runs.map(r => Math.round((r.start - runs[0].start) / cadenceMs));
    expect(new Set(slots).size).toBe(slots.length);
  });
});
