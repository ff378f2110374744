import type { Config } from './services/RootConfigService';

/**
 * The method a config reader offers, under this symbol, to turn a key relative to itself into the
 * key from the root of the configuration: `config.getConfig('uptime.schedule')` answers
 * `'uptime.schedule.frequency'` for `'frequency'`. Backplane's readers have it; a reader that
 * lacks it (Backstage's own, say) still works, and errors then name the relative key.
 */
export const FULL_CONFIG_KEY: unique symbol = Symbol.for('@backplane/config.fullKey');

/** A config reader that knows where it sits in the whole configuration. */
export interface ConfigWithFullKey {
  [FULL_CONFIG_KEY](key?: string): string;
}

/**
 * The key a user finds in `app-config.yaml` for `key` read from `config`, for error messages:
 * the full dot-separated key when the reader knows it, `key` itself otherwise. Without `key`,
 * the key of `config` itself (`''` at the root).
 */
export function fullConfigKey(config: Config, key?: string): string {
  const describe = (config as Partial<ConfigWithFullKey>)[FULL_CONFIG_KEY];
  return typeof describe === 'function' ? describe.call(config, key) : (key ?? '');
}
