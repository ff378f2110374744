import { ConflictError } from '@backplane/plugin-api';
import type { LoggerService, SchedulerServiceTaskFunction } from '@backplane/plugin-api';
import { shutdownError } from './GlobalTaskWorker';
import { Sleeper } from './Sleeper';
import { serializeRunError } from './TaskStore';
import {
  durationMs,
  isCronCadence,
  nextCronTime,
  nextRunAfter,
  type TaskSettings,
} from './taskSettings';
import type { TaskApiTaskState, TaskApiWorkerState, TaskWorker } from './types';

/** Options of a {@link LocalTaskWorker}. */
export interface LocalTaskWorkerOptions {
  taskId: string;
  pluginId: string;
  fn: SchedulerServiceTaskFunction;
  settings: TaskSettings;
  /** A logger that already carries the task id. */
  logger: LoggerService;
  /** How long `stop()` waits for a running task to return. */
  shutdownGraceMs: number;
}

/** How long an idle manual task sleeps between looks; it is woken by a trigger anyway. */
const IDLE_WAIT_MS = 60 * 60 * 1000;

/**
 * Runs one local task: every replica runs it on its own cadence, with no coordination, and
 * never two runs of it at once in this process. Its state lives in memory.
 */
export class LocalTaskWorker implements TaskWorker {
  readonly scope = 'local' as const;
  readonly #options: LocalTaskWorkerOptions;
  readonly #controller = new AbortController();
  readonly #sleeper = new Sleeper();
  #state: TaskApiWorkerState['status'] = 'idle';
  #nextRunAt: Date | null = null;
  #runController?: AbortController;
  #startedAt?: Date;
  #lastRunEndedAt?: Date;
  #lastRunError?: string;
  #loop?: Promise<void>;
  #stopped?: Promise<void>;

  constructor(options: LocalTaskWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#runLoop();
  }

  workerState(): TaskApiWorkerState {
    return { status: this.#state };
  }

  taskState(): TaskApiTaskState {
    const common = {
      lastRunEndedAt: this.#lastRunEndedAt?.toISOString(),
      lastRunError: this.#lastRunError,
    };
    if (this.#runController && this.#startedAt) {
      const timeout = durationMs(this.#options.settings.timeoutAfterDuration);
      return {
        status: 'running',
        startedAt: this.#startedAt.toISOString(),
        timesOutAt: new Date(this.#startedAt.getTime() + timeout).toISOString(),
        ...common,
      };
    }
    return { status: 'idle', startsAt: this.#nextRunAt?.toISOString(), ...common };
  }

  wake(): void {
    this.#sleeper.wake();
  }

  /** Runs the task as soon as possible. Throws ConflictError while it runs. */
  trigger(): void {
    if (this.#runController) {
      throw new ConflictError(
        `Task '${this.#options.taskId}' of plugin '${this.#options.pluginId}' is running; wait for it to finish or cancel it first.`,
      );
    }
    this.#nextRunAt = new Date();
    this.#sleeper.wake();
  }

  /** Aborts the running task. Throws ConflictError when it is not running. */
  cancel(): void {
    if (!this.#runController) {
      throw new ConflictError(
        `Task '${this.#options.taskId}' of plugin '${this.#options.pluginId}' is not running, so there is nothing to cancel.`,
      );
    }
    const error = new Error(`Task '${this.#options.taskId}' was cancelled`);
    error.name = 'AbortError';
    this.#runController.abort(error);
  }

  stop(reason: unknown = shutdownError()): Promise<void> {
    this.#stopped ??= this.#stop(reason);
    return this.#stopped;
  }

  async #stop(reason: unknown): Promise<void> {
    this.#controller.abort(reason);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#loop ?? Promise.resolve(),
      new Promise<void>(resolve => {
        graceTimer = setTimeout(resolve, this.#options.shutdownGraceMs);
      }),
    ]);
    clearTimeout(graceTimer);
  }

  async #runLoop(): Promise<void> {
    const { settings } = this.#options;
    const signal = this.#controller.signal;
    if (settings.initialDelayDuration) {
      this.#state = 'initial-wait';
      await this.#sleeper.sleep(durationMs(settings.initialDelayDuration), signal);
    }
    this.#state = 'idle';
    if (this.#nextRunAt === null && settings.cadence !== 'manual') {
      const now = new Date();
      this.#nextRunAt = isCronCadence(settings.cadence) ? nextCronTime(settings.cadence, now) : now;
    }
    while (!signal.aborted) {
      const now = Date.now();
      const due = this.#nextRunAt;
      if (due && due.getTime() <= now) {
        await this.#execute(due);
        continue;
      }
      await this.#sleeper.sleep(due ? due.getTime() - now : IDLE_WAIT_MS, signal);
    }
    this.#state = 'idle';
  }

  async #execute(slot: Date): Promise<void> {
    const { fn, settings, logger, taskId } = this.#options;
    const controller = new AbortController();
    const onStop = () => controller.abort(this.#controller.signal.reason);
    this.#controller.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => {
      const error = new Error(`Task '${taskId}' timed out after ${settings.timeoutAfterDuration}`);
      error.name = 'TimeoutError';
      logger.warn('Task timed out; its signal was aborted', {
        timeout: settings.timeoutAfterDuration,
      });
      controller.abort(error);
    }, durationMs(settings.timeoutAfterDuration));

    this.#runController = controller;
    this.#startedAt = new Date();
    this.#state = 'running';
    let failure: unknown;
    try {
      await fn(controller.signal);
    } catch (error) {
      failure = error ?? new Error('Task failed');
      logger.error('Task failed', failure);
    } finally {
      clearTimeout(timer);
      this.#controller.signal.removeEventListener('abort', onStop);
      this.#runController = undefined;
      this.#startedAt = undefined;
      this.#state = 'idle';
    }
    const now = new Date();
    if (failure === undefined && controller.signal.aborted) {
      failure = controller.signal.reason;
    }
    this.#lastRunEndedAt = now;
    this.#lastRunError = failure === undefined ? undefined : serializeRunError(failure);
    this.#nextRunAt = nextRunAfter(settings, slot, now);
  }
}
