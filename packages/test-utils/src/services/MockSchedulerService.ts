import { ConflictError, NotFoundError } from '@backplane/plugin-api';
import type {
  HumanDuration,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskDescriptor,
  SchedulerServiceTaskFunction,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backplane/plugin-api';

/** Which tasks a mock scheduler runs once when its plugin has started. */
export interface MockSchedulerOptions {
  /** Run nothing at startup; tasks run only through `triggerTask`. */
  skipTaskRunOnStartup?: boolean;
  /** Also run tasks with `frequency: { trigger: 'manual' }` at startup. */
  includeManualTasksOnStartup?: boolean;
  /** Also run tasks that have an `initialDelay` at startup. */
  includeInitialDelayedTasksOnStartup?: boolean;
}

type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

const DURATION_UNITS: Array<[keyof HumanDuration, string, boolean]> = [
  ['years', 'Y', false],
  ['months', 'M', false],
  ['weeks', 'W', false],
  ['days', 'D', false],
  ['hours', 'H', true],
  ['minutes', 'M', true],
  ['seconds', 'S', true],
];

/** Writes a duration object as ISO 8601, like `PT30S`; strings pass through. */
function toIsoDuration(duration: HumanDuration | string): string {
  if (typeof duration === 'string') {
    return duration;
  }
  const withMillis: HumanDuration = { ...duration };
  if (duration.milliseconds) {
    withMillis.seconds = (duration.seconds ?? 0) + duration.milliseconds / 1000;
  }
  let date = '';
  let time = '';
  for (const [key, unit, isTime] of DURATION_UNITS) {
    const value = withMillis[key];
    if (value) {
      if (isTime) time += `${value}${unit}`;
      else date += `${value}${unit}`;
    }
  }
  if (!date && !time) {
    return 'PT0S';
  }
  return time ? `P${date}T${time}` : `P${date}`;
}

function cadenceOf(frequency: ScheduledTask['frequency']): string {
  if (typeof frequency === 'object' && 'cron' in frequency) {
    return frequency.cron;
  }
  if (typeof frequency === 'object' && 'trigger' in frequency) {
    return frequency.trigger;
  }
  return toIsoDuration(frequency as HumanDuration | string);
}

/**
 * A scheduler for tests. It keeps no timers: each task runs once after its plugin has started
 * (see {@link MockSchedulerOptions}) and whenever `triggerTask(id)` is called, which resolves
 * when that run has finished. Stopping aborts the signal of every running task and waits for it.
 */
export class MockSchedulerService implements SchedulerService {
  readonly #tasks = new Map<string, ScheduledTask>();
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #logger?: LoggerService;

  constructor(options: { logger?: LoggerService } = {}) {
    this.#logger = options.logger;
  }

  async scheduleTask(task: ScheduledTask): Promise<void> {
    if (this.#tasks.has(task.id)) {
      throw new ConflictError(
        `Task '${task.id}' is already scheduled; give every task of a plugin its own id`,
      );
    }
    this.#tasks.set(task.id, task);
    task.signal?.addEventListener('abort', () => this.#tasks.delete(task.id), { once: true });
  }

  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner {
    return { run: task => this.scheduleTask({ ...schedule, ...task }) };
  }

  async triggerTask(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task) {
      throw new NotFoundError(`Task '${id}' is not scheduled; schedule it before triggering it`);
    }
    if (this.#running.has(id)) {
      throw new ConflictError(`Task '${id}' is currently running`);
    }
    await this.#run(task);
  }

  async cancelTask(id: string): Promise<void> {
    if (!this.#tasks.has(id)) {
      throw new NotFoundError(`Task '${id}' is not scheduled`);
    }
    this.#running.get(id)?.controller.abort();
  }

  async getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]> {
    return [...this.#tasks.values()].map(task => ({
      id: task.id,
      scope: task.scope ?? 'global',
      settings: {
        version: 2,
        cadence: cadenceOf(task.frequency),
        timeoutAfterDuration: toIsoDuration(task.timeout),
        ...(task.initialDelay && { initialDelayDuration: toIsoDuration(task.initialDelay) }),
      },
    }));
  }

  /** Runs the tasks that {@link MockSchedulerOptions} selects, one after another. */
  async runStartupTasks(options: MockSchedulerOptions = {}): Promise<void> {
    if (options.skipTaskRunOnStartup) {
      return;
    }
    for (const task of [...this.#tasks.values()]) {
      const isManual = typeof task.frequency === 'object' && 'trigger' in task.frequency;
      if (isManual && !options.includeManualTasksOnStartup) continue;
      if (task.initialDelay && !options.includeInitialDelayedTasksOnStartup) continue;
      if (!this.#running.has(task.id)) {
        await this.#run(task);
      }
    }
  }

  /** Aborts every running task and waits for them to return. */
  async shutdown(): Promise<void> {
    const running = [...this.#running.values()];
    for (const { controller } of running) {
      controller.abort();
    }
    await Promise.all(running.map(({ done }) => done));
  }

  async #run(task: ScheduledTask): Promise<void> {
    const controller = new AbortController();
    const fn: SchedulerServiceTaskFunction = task.fn;
    const done = (async () => {
      try {
        await fn(controller.signal);
      } catch (error) {
        this.#logger?.error(`Scheduled task '${task.id}' failed`, error);
      }
    })();
    this.#running.set(task.id, { controller, done });
    try {
      await done;
    } finally {
      this.#running.delete(task.id);
    }
  }
}
