import { ServiceUnavailableError } from '@backplane/plugin-api';
import type { Config } from '@backplane/plugin-api';
import { readDurationMs } from '../rootHttpRouter/readDuration';

/** The key of the longest wait of a request for its plugin to start. */
const TIMEOUT_KEY = 'backend.lifecycle.startupRequestPauseTimeout';

/**
 * Holds a plugin's requests until its lifecycle startup hooks have run, and refuses them once it
 * is shutting down or when it failed to start. After start, passing the gate is a single property
 * read.
 */
export class LifecycleGate {
  readonly #pluginId: string;
  readonly #timeoutMs: number;
  #state: 'starting' | 'started' | 'failed' | 'stopping' = 'starting';
  #started?: Promise<void>;
  #resolveStarted?: () => void;

  /** Reads `backend.lifecycle.startupRequestPauseTimeout` (default 5s), in milliseconds. */
  static readTimeoutMs(config: Config): number {
    return readDurationMs(config, TIMEOUT_KEY, 5000);
  }

  constructor(options: { pluginId: string; timeoutMs: number }) {
    this.#pluginId = options.pluginId;
    this.#timeoutMs = options.timeoutMs;
  }

  /** True when requests may pass without waiting. */
  get isOpen(): boolean {
    return this.#state === 'started';
  }

  /** Marks the plugin as started and releases waiting requests. */
  markStarted(): void {
    if (this.#state === 'starting') {
      this.#state = 'started';
      this.#resolveStarted?.();
    }
  }

  /**
   * Marks the plugin as failed to start, unless it started; waiting requests and those from now
   * on get 503 at once.
   */
  markFailed(): void {
    if (this.#state === 'starting') {
      this.#state = 'failed';
      this.#resolveStarted?.();
    }
  }

  /** Marks the plugin as shutting down; requests from now on get 503. */
  markStopping(): void {
    this.#state = 'stopping';
    this.#resolveStarted?.();
  }

  /**
   * Resolves when requests may pass: at once after start, or when the plugin starts within the
   * pause timeout. Rejects with a ServiceUnavailableError naming the plugin when it does not start
   * in time, failed to start or is shutting down.
   */
  async wait(): Promise<void> {
    if (this.#state === 'starting') {
      this.#started ??= new Promise<void>(resolve => {
        this.#resolveStarted = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>(resolve => {
        timer = setTimeout(resolve, this.#timeoutMs);
      });
      await Promise.race([this.#started, timedOut]);
      clearTimeout(timer);
    }
    const plugin = `Plugin '${this.#pluginId}'`;
    if (this.#state === 'starting') {
      throw new ServiceUnavailableError(
        `${plugin} has not finished starting after ${this.#timeoutMs}ms, so the request was not handled; retry shortly, or raise '${TIMEOUT_KEY}' if the plugin needs longer to start.`,
      );
    }
    if (this.#state === 'failed') {
      throw new ServiceUnavailableError(
        `${plugin} failed to start, so the request was not handled; the backend runs without it. Find the cause in the startup log ('Plugin failed to start'), fix it and restart the backend.`,
      );
    }
    if (this.#state === 'stopping') {
      throw new ServiceUnavailableError(
        `${plugin} is shutting down, so the request was not handled; retry against another instance.`,
      );
    }
  }
}
