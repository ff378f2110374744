import type { LifecycleServiceHookOptions, LoggerService } from '@backplane/plugin-api';

type Hook = () => void | Promise<void>;

/**
 * One phase of a lifecycle (startup, before-shutdown, shutdown): a list of hooks run once, in the
 * order they were added, each awaited before the next. A failing hook is logged on its own logger
 * (or the phase's) and the next one still runs. A hook added while the phase runs joins the end of
 * the queue; a hook added after the phase ran is run right away, so late resources still start or
 * get cleaned up.
 */
export class LifecycleHookPhase {
  readonly #failureMessage: string;
  readonly #logger: LoggerService;
  readonly #hooks: Array<{ hook: Hook; logger?: LoggerService }> = [];
  #run: Promise<void> | undefined;
  #done = false;

  /**
   * @param failureMessage - the constant message a hook failure is logged with
   * @param logger - the logger for hooks added without one
   */
  constructor(failureMessage: string, logger: LoggerService) {
    this.#failureMessage = failureMessage;
    this.#logger = logger;
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
    this.#hooks.push(entry);
  }

  /** Runs the hooks; later calls return the same promise. Never rejects. */
  run(): Promise<void> {
    this.#run ??= (async () => {
      for (let index = 0; index < this.#hooks.length; index++) {
        await this.#runOne(this.#hooks[index]);
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
