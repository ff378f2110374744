import { Duration, type DurationLikeObject } from 'luxon';
import type { HumanDuration } from '@backplane/plugin-api';

/**
 * Milliseconds from a number of milliseconds, a duration object such as `{ minutes: 5 }`, or an
 * ISO 8601 duration such as `'PT5M'`. Returns `undefined` when `value` is none of these.
 */
export function durationToMilliseconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  try {
    if (typeof value === 'string') {
      const duration = Duration.fromISO(value);
      return duration.isValid ? duration.toMillis() : undefined;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const units = value as HumanDuration;
      if (Object.values(units).some(n => typeof n !== 'number' || !Number.isFinite(n))) {
        return undefined;
      }
      const duration = Duration.fromObject(units as DurationLikeObject);
      return duration.isValid ? duration.toMillis() : undefined;
    }
  } catch {
    // luxon throws on unknown units; the caller reports the value.
  }
  return undefined;
}
