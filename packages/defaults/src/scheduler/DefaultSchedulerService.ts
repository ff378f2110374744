import type { Knex } from 'knex';
import { ConflictError, InputError, ServiceUnavailableError } from '@backplane/plugin-api';
import type {
  DatabaseService,
  LoggerService,
  RootLifecycleService,
  SchedulerService,
  SchedulerServiceTaskDescriptor,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backplane/plugin-api';
import { GlobalTaskWorker } from './GlobalTaskWorker';
import { LocalTaskWorker } from './LocalTaskWorker';
import { isLiveClaim, TaskStore, type TaskRow } from './TaskStore';
import {
  durationMs,
  parseStoredSettings,
  readTaskSettings,
  type TaskSettings,
} from './taskSettings';
import type { TaskApiTask, TaskApiTaskState, TaskWorker } from './types';

/** Options of {@link DefaultSchedulerService.create}. */
export interface DefaultSchedulerServiceOptions {
  pluginId: string;
  /** The plugin's database; global tasks keep their state in it. */
  database: Pick<DatabaseService, 'getClient'>;
  logger: LoggerService;
  /** When given, the scheduler stops itself when the backend shuts down. */
  rootLifecycle?: RootLifecycleService;
  /** The longest wait between two looks at the tasks table. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Up to this much random time is added to each poll wait. Default 20% of the poll interval. */
  jitterMs?: number;
  /** Added to a task's timeout to form its lease. Default 1000 ms. */
  leaseMarginMs?: number;
  /** How long shutdown waits for running tasks to return. Default 5000 ms. */
  shutdownGraceMs?: number;
}

interface ScheduledTask {
  descriptor: SchedulerServiceTaskDescriptor;
  settings: TaskSettings;
  worker: TaskWorker;
}

function validateTaskId(id: unknown, pluginId: string): asserts id is string {
  if (typeof id !== 'string' || id.trim() === '' || id.length > 255) {
    throw new InputError(
      `Task id ${JSON.stringify(id)} of plugin '${pluginId}' is invalid; ` +
        `use a non-empty string of at most 255 characters.`,
    );
  }
}

function toTaskState(row: TaskRow | undefined, now: Date): TaskApiTaskState | null {
  if (!row) {
    return null;
  }
  const common = {
    lastRunEndedAt: row.lastRunEndedAt?.toISOString(),
    lastRunError: row.lastRunErrorJson ?? undefined,
  };
  if (isLiveClaim(row, now) && row.currentRunStartedAt) {
    // The run's signal aborts at its timeout; the lease (and `current_run_expires_at`) lasts a
    // margin longer, so that is not when it times out.
    const timeout = parseStoredSettings(row.settingsJson)?.timeoutAfterDuration;
    const timesOutAt = timeout
      ? new Date(row.currentRunStartedAt.getTime() + durationMs(timeout))
      : row.currentRunExpiresAt;
    return {
      status: 'running',
      startedAt: row.currentRunStartedAt.toISOString(),
      timesOutAt: timesOutAt?.toISOString(),
      ...common,
    };
  }
  return { status: 'idle', startsAt: row.nextRunStartAt?.toISOString(), ...common };
}

/**
 * The scheduler of one plugin. Global tasks are coordinated through the plugin's own database
 * (table `backstage_backend_tasks__tasks`) so that one replica runs each slot; local tasks run
 * in this process only.
 */
export class DefaultSchedulerService implements SchedulerService {
  readonly #options: Required<Omit<DefaultSchedulerServiceOptions, 'rootLifecycle'>>;
  readonly #tasks = new Map<string, ScheduledTask>();
  readonly #reserved = new Set<string>();
  #store?: Promise<TaskStore>;
  #stopping?: Promise<void>;

  /** Creates the scheduler of a plugin. */
  static create(options: DefaultSchedulerServiceOptions): DefaultSchedulerService {
    return new DefaultSchedulerService(options);
  }

  private constructor(options: DefaultSchedulerServiceOptions) {
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#options = {
      pluginId: options.pluginId,
      database: options.database,
      logger: options.logger,
      pollIntervalMs,
      jitterMs: options.jitterMs ?? Math.round(pollIntervalMs / 5),
      leaseMarginMs: options.leaseMarginMs ?? 1000,
      shutdownGraceMs: options.shutdownGraceMs ?? 5000,
    };
    // Stop before plugins and the database shut down, so claims can still be released.
    options.rootLifecycle?.addBeforeShutdownHook(() => this.stop(), { logger: options.logger });
    options.rootLifecycle?.addShutdownHook(() => this.stop(), { logger: options.logger });
  }

  /** The plugin this scheduler belongs to. */
  get pluginId(): string {
    return this.#options.pluginId;
  }

  async scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition & SchedulerServiceTaskInvocationDefinition,
  ): Promise<void> {
    const { pluginId, logger } = this.#options;
    validateTaskId(task?.id, pluginId);
    const { id } = task;
    if (typeof task.fn !== 'function') {
      throw new InputError(
        `Task '${id}' of plugin '${pluginId}' has no fn; pass the function to run.`,
      );
    }
    const scope = task.scope ?? 'global';
    if (scope !== 'global' && scope !== 'local') {
      throw new InputError(
        `Task '${id}' of plugin '${pluginId}' has scope '${String(scope)}'; ` +
          "use 'global' or 'local'.",
      );
    }
    const settings = readTaskSettings(`Task '${id}' of plugin '${pluginId}'`, task);
    if (this.#stopping) {
      throw new ServiceUnavailableError(
        `Task '${id}' of plugin '${pluginId}' was not scheduled ` +
          'because the backend is shutting down.',
      );
    }
    if (this.#tasks.has(id) || this.#reserved.has(id)) {
      throw new ConflictError(
        `Task '${id}' is already scheduled in plugin '${pluginId}'; give each task its own id.`,
      );
    }
    if (task.signal?.aborted) {
      return;
    }

    this.#reserved.add(id);
    try {
      const taskLogger = logger.child({ task: id });
      let worker: TaskWorker;
      if (scope === 'global') {
        const store = await this.#getStore();
        try {
          await store.persist(id, settings, new Date());
        } catch (error) {
          throw new Error(
            `Scheduler of plugin '${pluginId}' could not store task '${id}' ` +
              "in the plugin's database",
            { cause: error },
          );
        }
        worker = new GlobalTaskWorker({
          taskId: id,
          fn: task.fn,
          settings,
          store,
          logger: taskLogger,
          pollIntervalMs: this.#options.pollIntervalMs,
          jitterMs: this.#options.jitterMs,
          leaseMarginMs: this.#options.leaseMarginMs,
          shutdownGraceMs: this.#options.shutdownGraceMs,
        });
      } else {
        worker = new LocalTaskWorker({
          taskId: id,
          pluginId,
          fn: task.fn,
          settings,
          logger: taskLogger,
          shutdownGraceMs: this.#options.shutdownGraceMs,
        });
      }
      // The signal may have aborted while the task was stored; nothing listened then.
      if (this.#stopping || task.signal?.aborted) {
        return;
      }
      this.#tasks.set(id, {
        descriptor: { id, scope, settings: { ...settings } },
        settings,
        worker,
      });
      worker.start();
      const signal = task.signal;
      signal?.addEventListener('abort', () => void worker.stop(signal.reason), { once: true });
      logger.info('Scheduled task', { task: id, scope, ...settings });
    } finally {
      this.#reserved.delete(id);
    }
  }

  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner {
    // Validate now, so a bad schedule read from config fails where it is created.
    readTaskSettings(`A task runner of plugin '${this.#options.pluginId}'`, schedule);
    return {
      run: async task => {
        await this.scheduleTask({ ...task, ...schedule });
      },
    };
  }

  async getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]> {
    return [...this.#tasks.values()].map(t => t.descriptor);
  }

  async triggerTask(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (task?.worker instanceof LocalTaskWorker) {
      task.worker.trigger();
      return;
    }
    const store = await this.#getStore();
    await store.trigger(id, new Date());
    task?.worker.wake();
  }

  async cancelTask(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (task?.worker instanceof LocalTaskWorker) {
      task.worker.cancel();
      return;
    }
    const store = await this.#getStore();
    await store.cancel(id, new Date(), task?.settings);
    if (task?.worker instanceof GlobalTaskWorker) {
      await task.worker.checkClaim();
    }
  }

  /**
   * The tasks of this scheduler with their state, as `GET /.backstage/scheduler/v1/tasks` lists
   * them.
   */
  async listTasks(): Promise<TaskApiTask[]> {
    const tasks = [...this.#tasks.values()];
    let rows = new Map<string, TaskRow>();
    if (tasks.some(t => t.descriptor.scope === 'global')) {
      const store = await this.#getStore();
      rows = new Map((await store.readAll()).map(row => [row.id, row]));
    }
    const now = new Date();
    return tasks.map(({ descriptor, worker }) => ({
      taskId: descriptor.id,
      pluginId: this.#options.pluginId,
      scope: descriptor.scope,
      settings: descriptor.settings as TaskApiTask['settings'],
      taskState:
        worker instanceof LocalTaskWorker
          ? worker.taskState()
          : toTaskState(rows.get(descriptor.id), now),
      workerState: worker.workerState(),
    }));
  }

  /**
   * Stops every task of this scheduler: timers are cleared, running tasks see their signal
   * abort, and claims are released. Called by the backend on shutdown; safe to call twice.
   */
  stop(): Promise<void> {
    this.#stopping ??= Promise.all([...this.#tasks.values()].map(t => t.worker.stop())).then(
      () => undefined,
    );
    return this.#stopping;
  }

  #getStore(): Promise<TaskStore> {
    if (!this.#store) {
      this.#store = this.#createStore();
      this.#store.catch(() => {
        this.#store = undefined;
      });
    }
    return this.#store;
  }

  async #createStore(): Promise<TaskStore> {
    const { pluginId, database } = this.#options;
    let knex: Knex;
    try {
      knex = await database.getClient();
    } catch (error) {
      throw new Error(
        `Scheduler of plugin '${pluginId}' could not connect to the plugin's database; ` +
          `global tasks keep their state there. Check 'backend.database'`,
        { cause: error },
      );
    }
    const store = new TaskStore(knex, pluginId);
    await store.ensureSchema();
    return store;
  }
}
