/** The longest single timer; longer waits are split so `setTimeout` does not overflow. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A wait that ends early when its signal aborts or when someone calls `wake()`. It leaves no
 * timer or listener behind either way.
 */
export class Sleeper {
  #wake?: () => void;
  #pendingWake = false;

  /** Waits `ms` milliseconds, or less when woken or aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.#pendingWake) {
      this.#pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>(resolve => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.#wake === done) {
          this.#wake = undefined;
        }
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  /** Ends the current wait, or the next one when no wait is under way. */
  wake(): void {
    if (this.#wake) {
      this.#wake();
    } else {
      this.#pendingWake = true;
    }
  }
}
