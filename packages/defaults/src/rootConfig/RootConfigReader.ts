import type { JsonObject, RootConfigService } from '@backplane/plugin-api';
import { ConfigReader } from './ConfigReader';

/**
 * The root configuration: a {@link ConfigReader} whose data can be replaced at run time, telling
 * subscribers when it changes. Views made with `getConfig` before an update read the new data.
 */
export class RootConfigReader extends ConfigReader implements RootConfigService {
  #listeners = new Set<() => void>();
  #snapshot: string;
  #onClose: Array<() => void> = [];

  constructor(data: JsonObject = {}, secrets: Iterable<string> = []) {
    super(data, secrets);
    this.#snapshot = JSON.stringify(data);
  }

  /** Calls `onChange` after every update that changed the data. */
  subscribe(onChange: () => void): { unsubscribe(): void } {
    this.#listeners.add(onChange);
    return { unsubscribe: () => this.#listeners.delete(onChange) };
  }

  /**
   * Replaces the configuration data. Subscribers are called only if the data differs; a throwing
   * subscriber does not stop the others, and their errors are thrown afterwards together, as a
   * {@link ConfigSubscriberError}: the new data is in effect by then.
   */
  update(data: JsonObject, secrets: Iterable<string> = []): void {
    const snapshot = JSON.stringify(data);
    this.replaceData(data, secrets);
    if (snapshot === this.#snapshot) return;
    this.#snapshot = snapshot;

    const errors: unknown[] = [];
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new ConfigSubscriberError(errors);
    }
  }

  /** Registers cleanup (file watchers, reload timers) to run on {@link RootConfigReader.close}. */
  onClose(cleanup: () => void): void {
    this.#onClose.push(cleanup);
  }

  /** Stops watching files and reloading; the current data stays readable. */
  close(): void {
    for (const cleanup of this.#onClose.splice(0)) cleanup();
    this.#listeners.clear();
  }
}

/**
 * Thrown by {@link RootConfigReader.update} after the new data was applied, when subscribers threw.
 */
export class ConfigSubscriberError extends Error {
  readonly errors: readonly unknown[];

  constructor(errors: readonly unknown[]) {
    const reasons = errors.map(error => (error instanceof Error ? error.message : String(error)));
    super(
      `The configuration was reloaded and is in effect, but ${errors.length} of its subscribers ` +
        `failed while handling the change: ${reasons.join('; ')}. Fix the config.subscribe() ` +
        'callback that threw (the cause has its stack).',
      { cause: errors[0] },
    );
    this.name = 'ConfigSubscriberError';
    this.errors = errors;
  }
}
