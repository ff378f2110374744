import { Duration } from 'luxon';
import type { Config } from '@backplane/plugin-api';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const OBJECT_KEYS = new Set([
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
]);

const HUMAN_DURATION = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

/**
 * Reads a duration at `key` and returns it in milliseconds, or `defaultMs` when the key is absent.
 *
 * Accepted forms: a string such as `'5s'`, `'500ms'`, `'2 minutes'` or ISO 8601 `'PT5S'`, or an
 * object such as `{ seconds: 5 }` (keys: years, months, weeks, days, hours, minutes, seconds,
 * milliseconds).
 */
export function readDurationMs(config: Config, key: string, defaultMs: number): number {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return defaultMs;
  }
  const ms = parseDuration(value);
  if (ms === undefined) {
    const got = JSON.stringify(value);
    throw new Error(
      `Invalid duration ${got} at config key '${key}'; write it as a string like '5s', '500ms' or 'PT5S', or as an object like { seconds: 5 }.`,
    );
  }
  return ms;
}

/** Parses a duration value (see {@link readDurationMs}); `undefined` when it is not one. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const human = HUMAN_DURATION.exec(value);
    if (human) {
      const unit = UNIT_MS[human[2].toLowerCase()];
      return unit === undefined ? undefined : Math.round(Number(human[1]) * unit);
    }
    const iso = Duration.fromISO(value.trim());
    return iso.isValid ? iso.toMillis() : undefined;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const valid =
      entries.length > 0 &&
      entries.every(([k, v]) => OBJECT_KEYS.has(k) && typeof v === 'number' && v >= 0);
    return valid ? Duration.fromObject(value as Record<string, number>).toMillis() : undefined;
  }
  return undefined;
}
