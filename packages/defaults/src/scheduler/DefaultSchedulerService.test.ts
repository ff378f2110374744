import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { TASKS_TABLE, TaskStore } from './TaskStore';
import {
  createCapturingLogger,
  createTestDatabase,
  delay,
  TEST_DIALECTS,
  waitFor,
  type TestDatabase,
} from './__fixtures__/testKnex';

const FAST = { pollIntervalMs: 50, jitterMs: 10, leaseMarginMs: 200, shutdownGraceMs: 1000 };

describe.each(TEST_DIALECTS)('DefaultSchedulerService on %s', dialect => {
  let db: TestDatabase;
  const schedulers: DefaultSchedulerService[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map(s => s.stop()));
  });

  afterAll(async () => {
    await db?.cleanup();
  });

  async function makeScheduler(
    options: { knex?: Knex; pluginId?: string; beforeGetClient?: () => void } = {},
  ): Promise<{
    scheduler: DefaultSchedulerService;
    knex: Knex;
    logger: ReturnType<typeof createCapturingLogger>;
  }> {
    const knex = options.knex ?? (await db.connect());
    const logger = createCapturingLogger();
    const scheduler = DefaultSchedulerService.create({
      pluginId: options.pluginId ?? 'test',
      database: {
        getClient: async () => {
          options.beforeGetClient?.();
          return knex;
        },
      },
      logger,
      ...FAST,
    });
    schedulers.push(scheduler);
    return { scheduler, knex, logger };
  }

  async function row(knex: Knex, id: string) {
    return new TaskStore(knex, 'test').read(id);
  }

  it('should run a task on its cadence', async () => {
    const { scheduler } = await makeScheduler();
    let runs = 0;
    await scheduler.scheduleTask({
      id: 'cadence',
      frequency: { milliseconds: 300 },
      timeout: { seconds: 5 },
      fn: async () => {
        runs += 1;
      },
    });
    await delay(1000);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(5);
  });

  it('should describe scheduled tasks with their settings', async () => {
    const { scheduler } = await makeScheduler();
    await scheduler.scheduleTask({
      id: 'described',
      frequency: 'PT1S',
      timeout: { seconds: 5 },
      initialDelay: { minutes: 1 },
      fn: async () => {},
    });
    await scheduler.scheduleTask({
      id: 'cron',
      scope: 'local',
      frequency: { cron: '*/5 * * * *' },
      timeout: 'PT1M',
      fn: async () => {},
    });
    expect(await scheduler.getScheduledTasks()).toEqual([
      {
        id: 'described',
        scope: 'global',
        settings: {
          version: 2,
          cadence: 'PT1S',
          timeoutAfterDuration: 'PT5S',
          initialDelayDuration: 'PT1M',
        },
      },
      {
        id: 'cron',
        scope: 'local',
        settings: { version: 2, cadence: '*/5 * * * *', timeoutAfterDuration: 'PT1M' },
      },
    ]);
  });

  it('should refuse a second task with the same id and a bad schedule', async () => {
    const { scheduler } = await makeScheduler();
    const fn = async () => {};
    await scheduler.scheduleTask({ id: 'once', frequency: { hours: 1 }, timeout: 'PT1M', fn });
    await expect(
      scheduler.scheduleTask({ id: 'once', frequency: { hours: 1 }, timeout: 'PT1M', fn }),
    ).rejects.toThrow(
      "Task 'once' is already scheduled in plugin 'test'; give each task its own id.",
    );
    await expect(
      scheduler.scheduleTask({ id: 'bad', frequency: { cron: 'not a cron' }, timeout: 'PT1M', fn }),
    ).rejects.toThrow(
      "Task 'bad' of plugin 'test' has an invalid cron expression 'not a cron'. Use five fields",
    );
    await expect(
      scheduler.scheduleTask({ id: 'bad', frequency: 'every minute', timeout: 'PT1M', fn }),
    ).rejects.toThrow(
      "Task 'bad' of plugin 'test' has an invalid 'frequency' duration 'every minute' " +
        `(the input "every minute" can't be parsed as ISO 8601); use an ISO duration like 'PT30S', ` +
        "a duration object like { minutes: 5 }, a cron expression like { cron: '*/5 * * * *' }, " +
        "or { trigger: 'manual' }.",
    );
  });

  it('should run a manual task only when triggered, and refuse unknown or running tasks', async () => {
    const { scheduler } = await makeScheduler();
    let runs = 0;
    let release!: () => void;
    await scheduler.scheduleTask({
      id: 'manual',
      frequency: { trigger: 'manual' },
      timeout: { seconds: 5 },
      fn: async () => {
        runs += 1;
        await new Promise<void>(resolve => {
          release = resolve;
        });
      },
    });
    await delay(300);
    expect(runs).toBe(0);

    await scheduler.triggerTask('manual');
    await waitFor('the triggered run', () => runs === 1);
    await expect(scheduler.triggerTask('manual')).rejects.toThrow(
      "Task 'manual' of plugin 'test' is running; wait for it to finish or cancel it first.",
    );
    release();
    await expect(scheduler.triggerTask('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "Task 'nope' is not scheduled in plugin 'test'; see GET /.backstage/scheduler/v1/tasks for the tasks it has.",
    });
    await delay(200);
    expect(runs).toBe(1);
  });

  it('should abort the signal and release the claim when a task is cancelled', async () => {
    const { scheduler, knex } = await makeScheduler();
    let reason: unknown;
    let started = false;
    await scheduler.scheduleTask({
      id: 'cancel-me',
      frequency: { hours: 1 },
      timeout: { minutes: 1 },
      fn: async signal => {
        started = true;
        await new Promise<void>(resolve => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve();
          });
        });
      },
    });
    await waitFor('the task to start', () => started);
    await scheduler.cancelTask('cancel-me');
    await waitFor('the signal to abort', () => reason !== undefined);
    expect(reason).toMatchObject({ name: 'AbortError', message: "Task 'cancel-me' was cancelled" });

    const state = await row(knex, 'cancel-me');
    expect(state?.currentRunTicket).toBeNull();
    expect(JSON.parse(state!.lastRunErrorJson!)).toEqual({
      name: 'AbortError',
      message: 'Task was cancelled',
    });
    expect(state!.nextRunStartAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    await expect(scheduler.cancelTask('cancel-me')).rejects.toThrow(
      "Task 'cancel-me' of plugin 'test' is not running, so there is nothing to cancel.",
    );
  });

  it('should abort the signal and release the claim when a task times out', async () => {
    const { scheduler, knex } = await makeScheduler();
    let reason: unknown;
    await scheduler.scheduleTask({
      id: 'slow',
      frequency: { hours: 1 },
      timeout: { milliseconds: 300 },
      fn: async signal => {
        await new Promise<void>(resolve => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            setTimeout(resolve, 200);
          });
        });
      },
    });
    await waitFor('the timeout', () => reason !== undefined);
    expect(reason).toMatchObject({
      name: 'TimeoutError',
      message: "Task 'slow' timed out after PT0.3S",
    });
    await waitFor('the release', async () => (await row(knex, 'slow'))?.currentRunTicket === null);
    const state = await row(knex, 'slow');
    expect(JSON.parse(state!.lastRunErrorJson!).name).toBe('TimeoutError');
  });

  it('should release the claim and record the error when a task throws, and run the next slot', async () => {
    const knex = await db.connect();
    const first = await makeScheduler({ knex });
    let failedSlot: Date | null = null;
    await first.scheduler.scheduleTask({
      id: 'flaky',
      frequency: { milliseconds: 1500 },
      timeout: { seconds: 5 },
      fn: async () => {
        // While the run holds the claim, the row still names the slot it serves.
        failedSlot = (await row(knex, 'flaky'))!.nextRunStartAt;
        throw new Error('upstream answered 502');
      },
    });
    await waitFor('the failing run', () => failedSlot !== null);
    await waitFor('the release', async () => (await row(knex, 'flaky'))?.currentRunTicket === null);
    await first.scheduler.stop();

    const failed = (await row(knex, 'flaky'))!;
    expect(JSON.parse(failed.lastRunErrorJson!)).toEqual({
      name: 'Error',
      message: 'upstream answered 502',
    });
    expect(failed.nextRunStartAt!.getTime()).toBe(failedSlot!.getTime() + 1500);
    expect(failed.lastRunEndedAt!.getTime()).toBeGreaterThanOrEqual(failedSlot!.getTime());
    expect(first.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Task failed',
        meta: expect.objectContaining({ message: 'upstream answered 502' }),
        fields: { task: 'flaky' },
      }),
    );

    // Another replica sees the failure in the task list, then runs the next slot.
    const second = await makeScheduler({ knex: await db.connect() });
    let nextRunAt = 0;
    await second.scheduler.scheduleTask({
      id: 'flaky',
      frequency: { milliseconds: 1500 },
      timeout: { seconds: 5 },
      fn: async () => {
        nextRunAt = Date.now();
      },
    });
    const [listed] = await second.scheduler.listTasks();
    expect(listed).toMatchObject({ taskId: 'flaky', scope: 'global' });
    expect(listed.taskState).toEqual({
      status: 'idle',
      startsAt: failed.nextRunStartAt!.toISOString(),
      lastRunEndedAt: failed.lastRunEndedAt!.toISOString(),
      lastRunError: JSON.stringify({ name: 'Error', message: 'upstream answered 502' }),
    });

    await waitFor('the next slot', () => nextRunAt > 0, 4000);
    expect(nextRunAt).toBeGreaterThanOrEqual(failed.nextRunStartAt!.getTime());
    await waitFor('the release', async () => (await row(knex, 'flaky'))?.currentRunTicket === null);
    const [after] = await second.scheduler.listTasks();
    expect(after.taskState).toEqual({
      status: 'idle',
      startsAt: new Date(failed.nextRunStartAt!.getTime() + 1500).toISOString(),
      lastRunEndedAt: expect.any(String),
    });
    expect(Date.parse(after.taskState!.lastRunEndedAt!)).toBeGreaterThanOrEqual(nextRunAt);
  });

  it('should schedule through createScheduledTaskRunner(schedule).run({ id, fn })', async () => {
    const { scheduler, knex } = await makeScheduler();
    const runner = scheduler.createScheduledTaskRunner({
      frequency: { milliseconds: 300 },
      timeout: { seconds: 5 },
    });
    let runs = 0;
    await runner.run({
      id: 'via-runner',
      fn: async () => {
        runs += 1;
      },
    });
    await scheduler
      .createScheduledTaskRunner({ frequency: { hours: 1 }, timeout: 'PT1M', scope: 'local' })
      .run({ id: 'local-runner', fn: async () => {} });

    const settings = { version: 2, cadence: 'PT0.3S', timeoutAfterDuration: 'PT5S' };
    expect(await scheduler.getScheduledTasks()).toEqual([
      { id: 'via-runner', scope: 'global', settings },
      {
        id: 'local-runner',
        scope: 'local',
        settings: { version: 2, cadence: 'PT1H', timeoutAfterDuration: 'PT1M' },
      },
    ]);
    expect(JSON.parse((await row(knex, 'via-runner'))!.settingsJson)).toEqual(settings);
    await waitFor("runs on the runner's cadence", () => runs >= 3, 3000);

    await expect(runner.run({ id: 'via-runner', fn: async () => {} })).rejects.toThrow(
      "Task 'via-runner' is already scheduled in plugin 'test'; give each task its own id.",
    );
    expect(() =>
      scheduler.createScheduledTaskRunner({ frequency: { cron: 'nope' }, timeout: 'PT1M' }),
    ).toThrow("A task runner of plugin 'test' has an invalid cron expression 'nope'.");
  });

  it.each(['global', 'local'] as const)(
    "should stop a %s task when its own signal aborts, passing the signal's reason to the run",
    async scope => {
      const { scheduler, knex } = await makeScheduler();
      const controller = new AbortController();
      let runs = 0;
      let reason: unknown;
      await scheduler.scheduleTask({
        id: `owned-${scope}`,
        scope,
        frequency: { milliseconds: 200 },
        timeout: { seconds: 5 },
        signal: controller.signal,
        fn: async signal => {
          runs += 1;
          if (runs < 2) {
            return;
          }
          await new Promise<void>(resolve =>
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              resolve();
            }),
          );
        },
      });
      await waitFor('the second run', () => runs === 2);
      const stopReason = new Error('The sync plugin stopped its own task');
      controller.abort(stopReason);
      await waitFor('the run to see the abort', () => reason !== undefined);
      expect(reason).toBe(stopReason);

      await delay(600);
      expect(runs).toBe(2);
      const [listed] = await scheduler.listTasks();
      expect(listed.workerState).toEqual({ status: 'idle' });
      expect(listed.taskState?.status).toBe('idle');
      if (scope === 'global') {
        expect((await row(knex, 'owned-global'))?.currentRunTicket).toBeNull();
      }
    },
  );

  it('should not run a task whose signal aborts while it is being scheduled', async () => {
    const controller = new AbortController();
    const { scheduler } = await makeScheduler({ beforeGetClient: () => controller.abort() });
    let runs = 0;
    await scheduler.scheduleTask({
      id: 'aborted-early',
      frequency: { milliseconds: 100 },
      timeout: { seconds: 5 },
      signal: controller.signal,
      fn: async () => {
        runs += 1;
      },
    });
    await scheduler.scheduleTask({
      id: 'aborted-before',
      frequency: { milliseconds: 100 },
      timeout: { seconds: 5 },
      signal: controller.signal,
      fn: async () => {
        runs += 1;
      },
    });
    await delay(400);
    expect(runs).toBe(0);
    expect(await scheduler.getScheduledTasks()).toEqual([]);
  });

  it('should run a missed task once after downtime, not once per missed slot', async () => {
    const knex = await db.connect();
    const store = new TaskStore(knex, 'test');
    await store.ensureSchema();
    const settings = { version: 2, cadence: 'PT1S', timeoutAfterDuration: 'PT5S' } as const;
    await store.persist('missed', settings, new Date());
    await knex(TASKS_TABLE)
      .where('id', 'missed')
      .update({ next_run_start_at: new Date(Date.now() - 30_000) });

    const { scheduler } = await makeScheduler({ knex });
    let runs = 0;
    await scheduler.scheduleTask({
      id: 'missed',
      frequency: { seconds: 1 },
      timeout: { seconds: 5 },
      fn: async () => {
        runs += 1;
      },
    });
    await waitFor('the catch-up run', () => runs === 1);
    await delay(500);
    expect(runs).toBe(1);
    const next = (await row(knex, 'missed'))!.nextRunStartAt!.getTime();
    expect(next).toBeGreaterThan(Date.now() - 100);
    expect(next).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('should apply a changed schedule on the next start', async () => {
    const knex = await db.connect();
    const first = await makeScheduler({ knex });
    let runs = 0;
    const fn = async () => {
      runs += 1;
    };
    await first.scheduler.scheduleTask({
      id: 'changing',
      frequency: { hours: 1 },
      timeout: 'PT1M',
      fn,
    });
    await waitFor('the first run', () => runs === 1);
    await first.scheduler.stop();

    const second = await makeScheduler({ knex });
    await second.scheduler.scheduleTask({
      id: 'changing',
      frequency: { milliseconds: 300 },
      timeout: 'PT1M',
      fn,
    });
    expect(JSON.parse((await row(knex, 'changing'))!.settingsJson)).toEqual({
      version: 2,
      cadence: 'PT0.3S',
      timeoutAfterDuration: 'PT1M',
    });
    await waitFor('runs on the new cadence', () => runs >= 3, 3000);
  });

  it('should take over a claim whose lease expired', async () => {
    const knex = await db.connect();
    const store = new TaskStore(knex, 'test');
    await store.ensureSchema();
    const settings = { version: 2, cadence: 'PT1H', timeoutAfterDuration: 'PT1S' } as const;
    await store.persist('orphan', settings, new Date());
    const expiresAt = new Date(Date.now() + 700);
    await knex(TASKS_TABLE)
      .where('id', 'orphan')
      .update({
        next_run_start_at: new Date(Date.now() - 1000),
        current_run_ticket: 'dead-replica',
        current_run_started_at: new Date(Date.now() - 300),
        current_run_expires_at: expiresAt,
      });

    const { scheduler } = await makeScheduler({ knex });
    let startedAt = 0;
    await scheduler.scheduleTask({
      id: 'orphan',
      frequency: { hours: 1 },
      timeout: { seconds: 1 },
      fn: async () => {
        startedAt = Date.now();
      },
    });
    await waitFor('the takeover', () => startedAt > 0, 3000);
    expect(startedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
  });

  it('should abort running tasks and release their claims on stop, leaving no timers', async () => {
    const knex = await db.connect();
    // Warm the pool first: its own reaper timer is not the scheduler's.
    await knex.raw('select 1');
    const baseline = process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
    const { scheduler } = await makeScheduler({ knex });
    let aborted = false;
    let started = false;
    await scheduler.scheduleTask({
      id: 'long',
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      fn: async signal => {
        started = true;
        await new Promise<void>(resolve =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        );
        throw signal.reason;
      },
    });
    await scheduler.scheduleTask({
      id: 'local-idle',
      scope: 'local',
      frequency: { minutes: 10 },
      timeout: { minutes: 1 },
      initialDelay: { minutes: 5 },
      fn: async () => {},
    });
    await waitFor('the task to start', () => started);
    await scheduler.stop();
    expect(aborted).toBe(true);
    const state = await row(knex, 'long');
    expect(state?.currentRunTicket).toBeNull();
    // The interrupted slot stays due so another replica runs it right away.
    expect(state!.nextRunStartAt!.getTime()).toBeLessThanOrEqual(Date.now());
    await delay(20);
    const after = process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(baseline);
  });

  it('should run local tasks in each scheduler and trigger and cancel them in memory', async () => {
    const a = await makeScheduler();
    const b = await makeScheduler();
    const runs = { a: 0, b: 0 };
    for (const [name, s] of [
      ['a', a.scheduler],
      ['b', b.scheduler],
    ] as const) {
      await s.scheduleTask({
        id: 'everywhere',
        scope: 'local',
        frequency: { hours: 1 },
        timeout: { minutes: 1 },
        fn: async () => {
          runs[name] += 1;
        },
      });
    }
    await waitFor('both local runs', () => runs.a === 1 && runs.b === 1);

    let reason: unknown;
    await a.scheduler.scheduleTask({
      id: 'local-manual',
      scope: 'local',
      frequency: { trigger: 'manual' },
      timeout: { minutes: 1 },
      fn: signal =>
        new Promise<void>(resolve =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve();
          }),
        ),
    });
    await expect(a.scheduler.cancelTask('local-manual')).rejects.toThrow(
      "Task 'local-manual' of plugin 'test' is not running, so there is nothing to cancel.",
    );
    await a.scheduler.triggerTask('local-manual');
    await waitFor('the local run', async () => {
      const tasks = await a.scheduler.listTasks();
      return tasks.find(t => t.taskId === 'local-manual')?.taskState?.status === 'running';
    });
    await a.scheduler.cancelTask('local-manual');
    await waitFor('the abort', () => reason !== undefined);
    expect(reason).toMatchObject({ name: 'AbortError' });
  });
});
