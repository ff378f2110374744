import { ConfigReader } from '@backplane/defaults/rootConfig';
import type { JsonObject, RootConfigService } from '@backplane/plugin-api';

/**
 * A root config for tests, read with the same rules and error messages as the real one. Replace
 * its data with `update({ data })`; `subscribe` listeners are called on every update.
 */
export class MockRootConfig extends ConfigReader implements RootConfigService {
  readonly #listeners = new Set<() => void>();

  constructor(options: { data?: JsonObject } = {}) {
    super(options.data ?? {});
  }

  /** Replaces the whole configuration and tells subscribers. */
  update(options: { data: JsonObject }): void {
    this.replaceData(options.data);
    for (const listener of [...this.#listeners]) {
      listener();
    }
  }

  subscribe(onChange: () => void): { unsubscribe(): void } {
    this.#listeners.add(onChange);
    return { unsubscribe: () => this.#listeners.delete(onChange) };
  }
}
