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
    expect(state.status).toBe('running');
    expect(typeof state.startedAt).toBe('string');
    expect(typeof state.timesOutAt).toBe('string');

    expect(
      (await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/cancel')).status,
    ).toBe(200);
    const after = await request(app).get('/.backstage/scheduler/v1/tasks');
    expect(after.body.tasks[0].taskState).toMatchObject({
      status: 'idle',
      lastRunError: JSON.stringify({ name: 'AbortError', message: 'Task was cancelled' }),
    });
    const idle = await request(app).post('/.backstage/scheduler/v1/tasks/on-demand/cancel');
    expect(idle.status).toBe(409);
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
