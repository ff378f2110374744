import { randomUUID } from 'node:crypto';
import type { LoggerService, SchedulerServiceTaskFunction } from '@backplane/plugin-api';
import { Sleeper } from './Sleeper';
import { isLiveClaim, type TaskStore } from './TaskStore';
import { durationMs, nextRunAfter, parseStoredSettings, type TaskSettings } from './taskSettings';
import type { TaskApiWorkerState, TaskWorker } from './types';

/** Options of a {@link GlobalTaskWorker}. */
export interface GlobalTaskWorkerOptions {
  taskId: string;
  fn: SchedulerServiceTaskFunction;
  settings: TaskSettings;
  store: TaskStore;
  /** A logger that already carries the task id. */
  logger: LoggerService;
  /** The longest wait between two looks at the shared state. */
  pollIntervalMs: number;
  /** Up to this much random time is added to each wait, so replicas do not poll in step. */
  jitterMs: number;
  /**
   * Added to the timeout to form the lease, so this replica releases before others may take over.
   */
  leaseMarginMs: number;
  /** How long `stop()` waits for a running task to return before it releases the claim anyway. */
  shutdownGraceMs: number;
}

interface CurrentRun {
  ticket: string;
  controller: AbortController;
  timers: Array<ReturnType<typeof setTimeout>>;
  /** Set once the claim is released (or lost), so it is released at most once. */
  released: boolean;
}

/** Why a run is aborted when the backend stops it. */
export function shutdownError(): Error {
  return new Error('The backend is shutting down');
}

function timeoutError(taskId: string, timeout: string): Error {
  const error = new Error(`Task '${taskId}' timed out after ${timeout}`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * Runs one global task on this replica: polls the plugin's tasks table, claims the task when
 * its slot has come, runs it under a lease as long as its timeout, and releases the claim.
 */
export class GlobalTaskWorker implements TaskWorker {
  readonly scope = 'global' as const;
  readonly #options: GlobalTaskWorkerOptions;
  readonly #controller = new AbortController();
  readonly #sleeper = new Sleeper();
  #state: TaskApiWorkerState['status'] = 'idle';
  #run?: CurrentRun;
  #loop?: Promise<void>;
  #stopped?: Promise<void>;

  constructor(options: GlobalTaskWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#runLoop();
  }

  workerState(): TaskApiWorkerState {
    return { status: this.#state };
  }

  wake(): void {
    this.#sleeper.wake();
  }

  /** Checks right away whether this replica still holds the running claim; aborts if not. */
  async checkClaim(): Promise<void> {
    const run = this.#run;
    if (!run || run.released) {
      return;
    }
    if (!(await this.#options.store.holdsClaim(this.#options.taskId, run.ticket))) {
      this.#lose(run);
    }
  }

  stop(reason: unknown = shutdownError()): Promise<void> {
    this.#stopped ??= this.#stop(reason);
    return this.#stopped;
  }

  async #stop(reason: unknown): Promise<void> {
    const { shutdownGraceMs, taskId, store, logger } = this.#options;
    this.#controller.abort(reason);
    const loop = this.#loop ?? Promise.resolve();
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const finished = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>(resolve => {
        graceTimer = setTimeout(() => resolve(false), shutdownGraceMs);
      }),
    ]);
    clearTimeout(graceTimer);
    const run = this.#run;
    if (finished || !run || run.released) {
      return;
    }
    // The task ignores its abort signal; free the slot so another replica can run it.
    run.released = true;
    run.timers.forEach(clearTimeout);
    logger.warn('Task did not stop within the shutdown grace period; releasing its claim', {
      graceMs: shutdownGraceMs,
    });
    try {
      await store.release(taskId, run.ticket, {
        endedAt: new Date(),
        error: reason,
      });
    } catch (error) {
      logger.warn('Failed to release task claim on shutdown', error);
    }
  }

  async #runLoop(): Promise<void> {
    const { settings, pollIntervalMs, jitterMs, logger } = this.#options;
    const signal = this.#controller.signal;
    if (settings.initialDelayDuration) {
      this.#state = 'initial-wait';
      await this.#sleeper.sleep(durationMs(settings.initialDelayDuration), signal);
    }
    this.#state = 'idle';
    let failing = false;
    while (!signal.aborted) {
      let waitMs = pollIntervalMs;
      try {
        waitMs = Math.min(waitMs, await this.#attempt());
        failing = false;
      } catch (error) {
        // Warn once per outage, not once per poll.
        if (failing) {
          logger.debug('Scheduler still cannot check task; retrying', error);
        } else {
          logger.warn('Scheduler could not check task; retrying every poll', error);
        }
        failing = true;
      }
      if (signal.aborted) {
        break;
      }
      if (waitMs > 0) {
        await this.#sleeper.sleep(waitMs + Math.floor(Math.random() * jitterMs), signal);
      }
    }
    this.#state = 'idle';
  }

  /**
   * Looks at the task once and runs it if it is due; returns how long to wait before looking again.
   */
  async #attempt(): Promise<number> {
    const { store, taskId, pollIntervalMs, logger } = this.#options;
    const now = new Date();
    const row = await store.read(taskId);
    if (!row) {
      // The row was removed behind our back; put it back with this replica's settings.
      await store.persist(taskId, this.#options.settings, now);
      return 0;
    }
    if (!row.nextRunStartAt || row.nextRunStartAt.getTime() > now.getTime()) {
      return row.nextRunStartAt ? row.nextRunStartAt.getTime() - now.getTime() : pollIntervalMs;
    }
    if (isLiveClaim(row, now)) {
      const expiresIn = row.currentRunExpiresAt
        ? row.currentRunExpiresAt.getTime() - now.getTime() + 1
        : pollIntervalMs;
      return Math.max(1, Math.min(pollIntervalMs, expiresIn));
    }

    const settings = parseStoredSettings(row.settingsJson) ?? this.#options.settings;
    const ticket = randomUUID();
    const leaseMs = durationMs(settings.timeoutAfterDuration) + this.#options.leaseMarginMs;
    const expiresAt = new Date(now.getTime() + leaseMs);
    if (!(await store.claim(taskId, ticket, now, expiresAt))) {
      return pollIntervalMs;
    }
    if (row.currentRunTicket) {
      logger.info('Took over the claim of a run whose lease expired', {
        expiredAt: row.currentRunExpiresAt?.toISOString() ?? null,
      });
    }
    await this.#execute(ticket, settings, row.nextRunStartAt);
    return 0;
  }

  async #execute(ticket: string, settings: TaskSettings, slot: Date): Promise<void> {
    const { fn, taskId, store, logger, pollIntervalMs } = this.#options;
    const stopSignal = this.#controller.signal;
    const run: CurrentRun = {
      ticket,
      controller: new AbortController(),
      timers: [],
      released: false,
    };
    const onStop = () => run.controller.abort(stopSignal.reason);
    stopSignal.addEventListener('abort', onStop, { once: true });
    if (stopSignal.aborted) {
      onStop();
    }

    const release = async (details: { nextRunAt?: Date | null; error?: unknown }) => {
      if (run.released) {
        return;
      }
      run.released = true;
      try {
        await store.release(taskId, ticket, { endedAt: new Date(), ...details });
      } catch (error) {
        logger.warn('Failed to release task claim', error);
      }
    };

    run.timers.push(
      setTimeout(() => {
        const error = timeoutError(taskId, settings.timeoutAfterDuration);
        run.controller.abort(error);
        logger.warn('Task timed out; its signal was aborted and its claim released', {
          timeout: settings.timeoutAfterDuration,
        });
        void release({ nextRunAt: nextRunAfter(settings, slot, new Date()), error });
      }, durationMs(settings.timeoutAfterDuration)),
    );
    run.timers.push(
      setInterval(() => {
        this.checkClaim().catch(error => logger.warn('Failed to check task claim', error));
      }, pollIntervalMs),
    );

    this.#run = run;
    this.#state = 'running';
    let failure: unknown;
    let failed = false;
    try {
      await fn(run.controller.signal);
    } catch (error) {
      failed = true;
      failure = error;
    } finally {
      run.timers.forEach(t => clearTimeout(t));
      stopSignal.removeEventListener('abort', onStop);
      this.#state = 'idle';
    }

    if (failed && !run.released) {
      logger.error('Task failed', failure);
    }
    if (failed && stopSignal.aborted) {
      // Interrupted by shutdown: keep the slot so another replica runs it now.
      await release({ error: failure });
    } else {
      await release({ nextRunAt: nextRunAfter(settings, slot, new Date()), error: failure });
    }
    if (this.#run === run) {
      this.#run = undefined;
    }
  }

  #lose(run: CurrentRun): void {
    if (run.released) {
      return;
    }
    run.released = true;
    this.#options.logger.info('Task claim was cancelled or taken over; aborting the run');
    const error = new Error(`Task '${this.#options.taskId}' was cancelled`);
    error.name = 'AbortError';
    run.controller.abort(error);
  }
}
