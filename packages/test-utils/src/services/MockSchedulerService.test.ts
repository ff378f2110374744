import { MockSchedulerService } from './MockSchedulerService';

describe('MockSchedulerService', () => {
  it('should list scheduled tasks with their settings', async () => {
    const scheduler = new MockSchedulerService();
    await scheduler.scheduleTask({
      id: 'refresh',
      frequency: { minutes: 5 },
      timeout: { seconds: 30 },
      fn: async () => {},
    });
    await scheduler
      .createScheduledTaskRunner({
        frequency: { cron: '0 * * * *' },
        timeout: 'PT1M',
        scope: 'local',
      })
      .run({ id: 'hourly', fn: async () => {} });

    await expect(scheduler.getScheduledTasks()).resolves.toEqual([
      {
        id: 'refresh',
        scope: 'global',
        settings: { version: 2, cadence: 'PT5M', timeoutAfterDuration: 'PT30S' },
      },
      {
        id: 'hourly',
        scope: 'local',
        settings: { version: 2, cadence: '0 * * * *', timeoutAfterDuration: 'PT1M' },
      },
    ]);
  });

  it('should run a task when triggered and resolve when it is done', async () => {
    const scheduler = new MockSchedulerService();
    const runs: string[] = [];
    await scheduler.scheduleTask({
      id: 'task',
      frequency: { trigger: 'manual' },
      timeout: { seconds: 1 },
      fn: async () => {
        await new Promise(resolve => setTimeout(resolve, 5));
        runs.push('ran');
      },
    });
    await scheduler.triggerTask('task');
    expect(runs).toEqual(['ran']);
    await expect(scheduler.triggerTask('other')).rejects.toThrow(
      "Task 'other' is not scheduled; schedule it before triggering it",
    );
  });

  it('should run tasks once at startup, leaving out manual and delayed ones unless asked', async () => {
    const runs: string[] = [];
    const schedule = async (scheduler: MockSchedulerService) => {
      await scheduler.scheduleTask({
        id: 'a',
        frequency: 'PT1M',
        timeout: 'PT1M',
        fn: () => void runs.push('a'),
      });
      await scheduler.scheduleTask({
        id: 'm',
        frequency: { trigger: 'manual' },
        timeout: 'PT1M',
        fn: () => void runs.push('m'),
      });
      await scheduler.scheduleTask({
        id: 'd',
        frequency: 'PT1M',
        timeout: 'PT1M',
        initialDelay: 'PT1M',
        fn: () => void runs.push('d'),
      });
      return scheduler;
    };

    await (await schedule(new MockSchedulerService())).runStartupTasks();
    expect(runs.splice(0)).toEqual(['a']);
    await (
      await schedule(new MockSchedulerService())
    ).runStartupTasks({
      includeManualTasksOnStartup: true,
      includeInitialDelayedTasksOnStartup: true,
    });
    expect(runs.splice(0)).toEqual(['a', 'm', 'd']);
    await (
      await schedule(new MockSchedulerService())
    ).runStartupTasks({ skipTaskRunOnStartup: true });
    expect(runs).toEqual([]);
  });

  it('should abort running tasks on shutdown and wait for them', async () => {
    const scheduler = new MockSchedulerService();
    let aborted = false;
    await scheduler.scheduleTask({
      id: 'long',
      frequency: 'PT1M',
      timeout: 'PT1M',
      fn: signal =>
        new Promise<void>(resolve =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    });
    const run = scheduler.triggerTask('long');
    await scheduler.shutdown();
    await run;
    expect(aborted).toBe(true);
  });

  it('should refuse a second task with the same id', async () => {
    const scheduler = new MockSchedulerService();
    const task = { id: 'x', frequency: 'PT1M', timeout: 'PT1M', fn: () => {} };
    await scheduler.scheduleTask(task);
    await expect(scheduler.scheduleTask(task)).rejects.toThrow(
      "Task 'x' is already scheduled; give every task of a plugin its own id",
    );
  });
});
