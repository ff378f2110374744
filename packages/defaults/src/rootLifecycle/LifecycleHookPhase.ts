import type { LifecycleServiceHookOptions, LoggerService } from '@backplane/plugin-api';

type Hook = () => void | Promise<void>;

/** How the hooks of a phase run: one after another in the order added, or all at once. */
export type LifecycleHookOrder = 'sequential' | 'concurrent';

/**
 * One phase of a lifecycle (startup, before-shutdown, shutdown): a list of hooks run once, either
 * in the order they were added, each awaited before the next, or all started together and awaited
 * as a whole. A failing hook is logged on its own logger (or the phase's) and the others still run.
 * A hook added while the phase runs joins it (at the end of the queue, or started at once); a hook
 * added after the phase ran is run right away, so late resources still start or get cleaned up.
 */
export class LifecycleHookPhase {
  readonly #failureMessage: string;
  readonly #logger: LoggerService;
  readonly #order: LifecycleHookOrder;
  readonly #hooks: Array<{ hook: Hook; logger?: LoggerService }> = [];
  /** The running hooks of a concurrent phase, once it started. */
  #running: Array<Promise<void>> | undefined;
  #run: Promise<void> | undefined;
  #done = false;

  /**
   * @param failureMessage - the constant message a hook failure is logged with
   * @param logger - the logger for hooks added without one
   * @param order - whether hooks wait for each other (the default) or run all at once
   */
  constructor(
    failureMessage: string,
    logger: LoggerService,
    order: LifecycleHookOrder = 'sequential',
  ) {
    this.#failureMessage = failureMessage;
    this.#logger = logger;
    this.#order = order;
  }

  /** True once every hook of the phase has run. */
  get done(): boolean {
    return this.#done;
  }

  add(hook: Hook, options?: LifecycleServiceHookOptions): void {
    if (typeof hook !== 'function') {
      throw new TypeError(`A lifecycle hook must be a function, got ${typeof hook}`);
    }
    const entry = { hook, logger: options?.logger };
    if (this.#done) {
      void this.#runOne(entry);
      return;
    }
    if (this.#running) {
      this.#running.push(this.#runOne(entry));
      return;
    }
    this.#hooks.push(entry);
  }

  /** Runs the hooks; later calls return the same promise. Never rejects. */
  run(): Promise<void> {
    this.#run ??= (async () => {
      if (this.#order === 'concurrent') {
        // Set first: a hook that adds a hook while it starts gets that one started too.
        const running: Array<Promise<void>> = (this.#running = []);
        for (const entry of this.#hooks) {
          running.push(this.#runOne(entry));
        }
        for (let index = 0; index < running.length; index++) {
          await running[index];
        }
      } else {
        for (let index = 0; index < this.#hooks.length; index++) {
          await this.#runOne(this.#hooks[index]);
        }
      }
      this.#done = true;
    })();
    return this.#run;
  }

  async #runOne(entry: { hook: Hook; logger?: LoggerService }): Promise<void> {
    try {
      await entry.hook();
    } catch (error) {
      (entry.logger ?? this.#logger).error(this.#failureMessage, error);
    }
  }
}
