import { Duration } from 'luxon';
import { readDurationFromConfig } from '@backplane/plugin-api';
import type { Config } from '@backplane/plugin-api';

/**
 * Reads a duration at `key` and returns it in milliseconds, or `defaultMs` when the key is absent.
 * Accepts what `readDurationFromConfig` accepts: `'5s'`, `'500ms'`, `'2 minutes'`, ISO 8601
 * `'PT5S'`, or an object such as `{ seconds: 5 }`; anything else fails naming the key.
 */
export function readDurationMs(config: Config, key: string, defaultMs: number): number {
  if (!config.has(key)) {
    return defaultMs;
  }
  return Duration.fromObject(readDurationFromConfig(config, { key })).toMillis();
}
