import { ServiceUnavailableError } from '@backplane/plugin-api';

/**
 * Holds a plugin's requests until its lifecycle startup hooks have run, and refuses them once it
 * is shutting down. After start, passing the gate is a single property read.
 */
export class LifecycleGate {
  readonly #pluginId: string;
  readonly #timeoutMs: number;
  #state: 'starting' | 'started' | 'stopping' = 'starting';
  #started?: Promise<void>;
  #resolveStarted?: () => void;

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

  /** Marks the plugin as shutting down; requests from now on get 503. */
  markStopping(): void {
    this.#state = 'stopping';
    this.#resolveStarted?.();
  }

  /**
   * Resolves when requests may pass: at once after start, or when the plugin starts within the
   * pause timeout. Rejects with a ServiceUnavailableError naming the plugin when it does not start
   * in time or is shutting down.
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
    if (this.#state === 'starting') {
      throw new ServiceUnavailableError(
        `Plugin '${this.#pluginId}' has not finished starting after ${this.#timeoutMs}ms, so the request was not handled; retry shortly, or raise 'backend.lifecycle.startupRequestPauseTimeout' if the plugin needs longer to start.`,
      );
    }
    if (this.#state === 'stopping') {
      throw new ServiceUnavailableError(
        `Plugin '${this.#pluginId}' is shutting down, so the request was not handled; retry against another instance.`,
      );
    }
  }
}
