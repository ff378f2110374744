import ms from 'ms';
import type { Config } from './services/RootConfigService';
import type { HumanDuration } from './services/SchedulerService';
import { InputError } from './errors';
import { fullConfigKey } from './fullConfigKey';

const UNITS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
] as const;

// ISO 8601 durations: PnYnMnWnDTnHnMnS, each part optional, seconds may be fractional.
const ISO_DATE_PART = String.raw`(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?`;
const ISO_TIME_PART = String.raw`(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?`;
const ISO_DURATION = new RegExp(`^P${ISO_DATE_PART}${ISO_TIME_PART}$`);

const FORMS =
  "an ISO duration like 'PT30S', a string like '30 seconds' or '5m', " +
  'or an object like { minutes: 5 }';

/**
 * Reads the duration at `options.key` (or the whole `config` when no key is given) as an object
 * like `{ minutes: 5 }`, as Backstage's reader of the same name does. Accepted: an ISO 8601
 * duration (`'PT5M'`), a string with a unit (`'5m'`, `'2 hours'`), or an object with one or more
 * of years, months, weeks, days, hours, minutes, seconds, milliseconds.
 *
 * @throws InputError naming the key (from the root of the configuration when the reader knows it,
 *   see {@link fullConfigKey}) and the accepted forms when the value is none of these.
 */
export function readDurationFromConfig(config: Config, options?: { key?: string }): HumanDuration {
  const key = options?.key;
  const value = key === undefined ? config.get<unknown>() : config.get<unknown>(key);
  const duration = parseDuration(value);
  if (!duration) {
    const fullKey = fullConfigKey(config, key);
    const where = fullKey === '' ? 'in config' : `at config key '${fullKey}'`;
    throw new InputError(`Invalid duration ${JSON.stringify(value)} ${where}; use ${FORMS}.`);
  }
  return duration;
}

/** A duration object for a config value, or `undefined` when the value is not a duration. */
function parseDuration(value: unknown): HumanDuration | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return text.startsWith('P') ? parseIsoDuration(text) : parseUnitDuration(text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const entries = Object.entries(value);
  const valid =
    entries.length > 0 &&
    entries.every(
      ([unit, n]) =>
        (UNITS as readonly string[]).includes(unit) &&
        typeof n === 'number' &&
        Number.isFinite(n) &&
        n >= 0,
    );
  return valid ? (Object.fromEntries(entries) as HumanDuration) : undefined;
}

function parseIsoDuration(text: string): HumanDuration | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    return undefined;
  }
  const parts = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
  const duration: HumanDuration = {};
  parts.forEach((unit, i) => {
    if (match[i + 1] !== undefined) {
      duration[unit] = Number(match[i + 1]);
    }
  });
  return duration;
}

function parseUnitDuration(text: string): HumanDuration | undefined {
  // A bare number has no unit: ms would read it as milliseconds, Backstage refuses it.
  if (/^\d+(\.\d+)?$/.test(text)) {
    return undefined;
  }
  let milliseconds: number | undefined;
  try {
    milliseconds = ms(text as ms.StringValue);
  } catch {
    // ms throws on an empty string; that is not a duration either.
    return undefined;
  }
  if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds) || milliseconds < 0) {
    return undefined;
  }
  return { milliseconds };
}
