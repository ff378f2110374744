import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { createSchedulerRouter } from './createSchedulerRouter';
import { createCapturingLogger, createTestDatabase, waitFor } from './__fixtures__/testKnex';
import type { TestDatabase } from './__fixtures__/testKnex';

describe('createSchedulerRouter', () => {
  let db: TestDatabase;
  let scheduler: DefaultSchedulerService;
  let app: express.Express;
  let release: () => void = () => {};
  let runs = 0;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const knex = await db.connect();
    scheduler = DefaultSchedulerService.create({
      pluginId: 'demo',
      database: { getClient: async () => knex },
      logger: createCapturingLogger(),
      pollIntervalMs: 50,
    });
    await scheduler.scheduleTask({
      id: 'on-demand',
      frequency: { trigger: 'manual' },
      timeout: { minutes: 1 },
      fn: signal =>
        new Promise<void>(resolve => {
          runs += 1;
          release = resolve;
          signal.addEventListener('abort', () => resolve());
        }),
    });
    await scheduler.scheduleTask({
      id: 'here-only',
      scope: 'local',
      frequency: { hours: 1 },
      timeout: { minutes: 1 },
      initialDelay: { hours: 1 },
      fn: async () => {},
    });
    app = express();
    app.use(createSchedulerRouter(scheduler));
    // A tiny stand-in for the plugin router's error handler.
    app.use(((err, _req, res, _next) => {
      const status = { NotFoundError: 404, ConflictError: 409 }[err.name as string] ?? 500;
      res.status(status).json({ error: { name: err.name, message: err.message } });
    }) as express.ErrorRequestHandler);
  });

  afterAll(async () => {
    release();
    await scheduler?.stop();
    await db?.cleanup();
  });

  it('should list tasks with their state', async () => {
    const res = await request(app).get('/.backstage/scheduler/v1/tasks');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tasks: [
        {
          taskId: 'on-demand',
          pluginId: 'demo',
          scope: 'global',
          settings: { version: 2, cadence: 'manual', timeoutAfterDuration: 'PT1M' },
          taskState: { status: 'idle' },
          workerState: { status: 'idle' },
        },
        {
          taskId: 'here-only',
          pluginId: 'demo',
          scope: 'local',
          settings: {
            version: 2,
            cadence: 'PT1H',
            timeoutAfterDuration: 'PT1M',
            initialDelayDuration: 'PT1H',
          },
          taskState: { status: 'idle' },
          workerState: { status: 'initial-wait' },
        },
      ],
    });
  });

  it('should trigger a task, refuse a second trigger while it runs, and cancel it', async () => {
    const triggeredAt = Date.now();
    expect(
      (await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/trigger')).status,
    ).toBe(200);
    await waitFor('the run', () => runs === 1);
    const busy = await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/trigger');
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(
      "Task 'on-demand' of plugin 'demo' is running; wait for it to finish or cancel it first.",
    );

    const listed = await request(app).get('/.backstage/scheduler/v1/tasks');
    const state = listed.body.tasks[0].taskState;
    expect(state).toEqual({
      status: 'running',
      startedAt: expect.any(String),
      timesOutAt: expect.any(String),
    });
    expect(Date.parse(state.startedAt)).toBeGreaterThanOrEqual(triggeredAt);
    expect(Date.parse(state.startedAt)).toBeLessThanOrEqual(Date.now());
    // The lease of the run is its timeout of one minute.
    expect(Date.parse(state.timesOutAt) - Date.parse(state.startedAt)).toBe(60_000);

    expect(
      (await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/cancel')).status,
    ).toBe(200);
    const after = await request(app).get('/.backstage/scheduler/v1/tasks');
    expect(after.body.tasks[0].taskState).toEqual({
      status: 'idle',
      lastRunEndedAt: expect.any(String),
      lastRunError: JSON.stringify({ name: 'AbortError', message: 'Task was cancelled' }),
    });
    const cancelledAt = Date.parse(after.body.tasks[0].taskState.lastRunEndedAt);
    expect(cancelledAt).toBeGreaterThanOrEqual(Date.parse(state.startedAt));
    expect(cancelledAt).toBeLessThanOrEqual(Date.now());
    const idle = await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/cancel');
    expect(idle.status).toBe(409);
  });

  it('should report the next start, the end and the result of the last run of each task', async () => {
    const runs: Record<string, { startedAt: number; endedAt: number }> = {};
    const record = (id: string, error?: Error) => async () => {
      const startedAt = Date.now();
      await new Promise(resolve => setTimeout(resolve, 20));
      runs[id] = { startedAt, endedAt: Date.now() };
      if (error) {
        throw error;
      }
    };
    await scheduler.scheduleTask({
      id: 'hourly',
      frequency: { hours: 1 },
      timeout: { minutes: 1 },
      fn: record('hourly'),
    });
    await scheduler.scheduleTask({
      id: 'failing',
      frequency: { trigger: 'manual' },
      timeout: { minutes: 1 },
      fn: record('failing', new Error('disk full')),
    });
    await scheduler.scheduleTask({
      id: 'local-failing',
      scope: 'local',
      frequency: { hours: 1 },
      timeout: { minutes: 1 },
      fn: record('local-failing', new TypeError('bad answer')),
    });
    expect((await request(app).post('/.backstage/scheduler/v1/tasks/failing/trigger')).status).toBe(
      200,
    );

    const states = async () => {
      const res = await request(app).get('/.backstage/scheduler/v1/tasks');
      expect(res.status).toBe(200);
      return Object.fromEntries(
        (res.body.tasks as Array<{ taskId: string; taskState: Record<string, string> }>).map(
          task => [task.taskId, task.taskState],
        ),
      );
    };
    const ids = ['hourly', 'failing', 'local-failing'];
    await waitFor('three finished runs', async () => {
      const current = await states();
      return ids.every(id => current[id]?.status === 'idle' && current[id]?.lastRunEndedAt);
    });
    const state = await states();
    const hour = 60 * 60 * 1000;

    // A global task on a duration: the next slot is one hour after the slot that just ran.
    expect(state.hourly).toEqual({
      status: 'idle',
      startsAt: expect.any(String),
      lastRunEndedAt: expect.any(String),
    });
    expect(Date.parse(state.hourly.startsAt)).toBeGreaterThan(runs.hourly.startedAt + hour - 1000);
    expect(Date.parse(state.hourly.startsAt)).toBeLessThanOrEqual(runs.hourly.startedAt + hour);
    expect(Date.parse(state.hourly.lastRunEndedAt)).toBeGreaterThanOrEqual(runs.hourly.endedAt);
    expect(Date.parse(state.hourly.lastRunEndedAt)).toBeLessThan(runs.hourly.endedAt + 1000);

    // A manual global task that failed: no next start, the error as stored JSON.
    expect(state.failing).toEqual({
      status: 'idle',
      lastRunEndedAt: expect.any(String),
      lastRunError: JSON.stringify({ name: 'Error', message: 'disk full' }),
    });
    expect(Date.parse(state.failing.lastRunEndedAt)).toBeGreaterThanOrEqual(runs.failing.endedAt);
    expect(Date.parse(state.failing.lastRunEndedAt)).toBeLessThan(runs.failing.endedAt + 1000);

    // A local task that failed keeps the same shape, from memory.
    expect(state['local-failing']).toEqual({
      status: 'idle',
      startsAt: expect.any(String),
      lastRunEndedAt: expect.any(String),
      lastRunError: JSON.stringify({ name: 'TypeError', message: 'bad answer' }),
    });
    const local = runs['local-failing'];
    expect(Date.parse(state['local-failing'].startsAt)).toBeGreaterThan(
      local.startedAt + hour - 1000,
    );
    expect(Date.parse(state['local-failing'].startsAt)).toBeLessThanOrEqual(local.startedAt + hour);
    expect(Date.parse(state['local-failing'].lastRunEndedAt)).toBeGreaterThanOrEqual(local.endedAt);
    expect(Date.parse(state['local-failing'].lastRunEndedAt)).toBeLessThan(local.endedAt + 1000);
  });

  it('should answer 404 for an unknown task', async () => {
    const res = await request(app).post('/.backstage/scheduler/v1/tasks/missing/trigger');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      name: 'NotFoundError',
      message:
        "Task 'missing' is not scheduled in plugin 'demo'; see GET /.backstage/scheduler/v1/tasks for the tasks it has.",
    });
  });
});
