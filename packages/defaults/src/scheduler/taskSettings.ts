import type { parseExpression as ParseExpression } from 'cron-parser';
import { Duration } from 'luxon';
import { InputError } from '@backplane/plugin-api';
import type { HumanDuration, SchedulerServiceTaskScheduleDefinition } from '@backplane/plugin-api';

/**
 * The stored form of a task's schedule, the same shape the official runtime keeps in
 * `settings_json` (version 2).
 */
export interface TaskSettings {
  version: 2;
  /** An ISO duration (`PT5M`), a cron expression, or `manual`. */
  cadence: string;
  timeoutAfterDuration: string;
  initialDelayDuration?: string;
}

/** A duration as the scheduler accepts it: object, ISO string or a luxon `Duration`. */
export type DurationInput = HumanDuration | string | Duration;

/** Names a duration field of a schedule in errors, and says which forms it accepts. */
export interface DurationField {
  /** The schedule, like `Task 'sync' of plugin 'catalog'`. */
  where: string;
  /** The schedule's key, like `timeout`. */
  key: 'frequency' | 'timeout' | 'initialDelay';
}

const DURATION_FORMS = "an ISO duration like 'PT30S' or a duration object like { minutes: 5 }";
const FREQUENCY_FORMS =
  "an ISO duration like 'PT30S', a duration object like { minutes: 5 }, " +
  "a cron expression like { cron: '*/5 * * * *' }, or { trigger: 'manual' }";

function durationError(field: DurationField, problem: string, cause?: unknown): InputError {
  const forms = field.key === 'frequency' ? FREQUENCY_FORMS : DURATION_FORMS;
  // A cause is appended after '; caused by', so the sentence ends there instead.
  const end = cause === undefined ? '.' : '';
  return new InputError(`${field.where} has ${problem}; use ${forms}${end}`, cause);
}

function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (Duration.isDuration(value)) {
    return value.isValid ? `'${value.toISO()}'` : 'Duration.invalid';
  }
  return JSON.stringify(value) ?? String(value);
}

/** Converts a duration given in any accepted form to an ISO string; `field` names it in errors. */
export function toIsoDuration(value: DurationInput, field: DurationField): string {
  const shown = showValue(value);
  let parsed: Duration;
  if (Duration.isDuration(value)) {
    parsed = value;
  } else if (typeof value === 'string') {
    parsed = Duration.fromISO(value);
  } else if (value && typeof value === 'object') {
    try {
      parsed = Duration.fromObject(value);
    } catch (error) {
      throw durationError(field, `an invalid '${field.key}' duration object ${shown}`, error);
    }
  } else {
    throw durationError(field, `'${field.key}' ${shown}, which is not a duration`);
  }
  if (!parsed.isValid) {
    const reason = parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid';
    throw durationError(field, `an invalid '${field.key}' duration ${shown} (${reason})`);
  }
  if (parsed.as('milliseconds') <= 0) {
    throw durationError(field, `'${field.key}' ${shown}, which is not longer than zero`);
  }
  return parsed.toISO()!;
}

/** Milliseconds of an ISO duration string. */
export function durationMs(iso: string): number {
  return Duration.fromISO(iso).as('milliseconds');
}

/** True when the cadence is a cron expression (not an ISO duration and not `manual`). */
export function isCronCadence(cadence: string): boolean {
  return cadence !== 'manual' && !cadence.startsWith('P');
}

/**
 * Builds the stored settings of a schedule, validating every part. `where` names the schedule in
 * errors, like `Task 'sync' of plugin 'catalog'`.
 */
export function readTaskSettings(
  where: string,
  schedule: SchedulerServiceTaskScheduleDefinition,
): TaskSettings {
  const { frequency } = schedule;
  let cadence: string;
  if (frequency && typeof frequency === 'object' && 'cron' in frequency) {
    cadence = String(frequency.cron).trim();
    if (cadence === 'manual') {
      throw new InputError(
        `${where} has the cron expression 'manual'; ` +
          `use frequency { trigger: 'manual' } for a task that runs only when triggered.`,
      );
    }
    if (cadence.startsWith('P')) {
      throw new InputError(
        `${where} has the cron expression '${cadence}', which looks like an ISO duration; ` +
          `give it as the frequency itself, like frequency: '${cadence}', not under 'cron'.`,
      );
    }
    try {
      loadCronParser()(cadence);
    } catch (error) {
      throw new InputError(
        `${where} has an invalid cron expression '${cadence}'. ` +
          `Use five fields (minute hour day month weekday) or six with seconds first, ` +
          `like { cron: '*/5 * * * *' }`,
        error,
      );
    }
  } else if (frequency && typeof frequency === 'object' && 'trigger' in frequency) {
    if (frequency.trigger !== 'manual') {
      throw new InputError(
        `${where} has 'frequency.trigger' '${String(frequency.trigger)}'; ` +
          `the only trigger is 'manual', so use { trigger: 'manual' }.`,
      );
    }
    cadence = 'manual';
  } else {
    cadence = toIsoDuration(frequency as DurationInput, { where, key: 'frequency' });
  }
  if (schedule.timeout === undefined || schedule.timeout === null) {
    throw new InputError(`${where} has no 'timeout'; give one, like { timeout: { minutes: 10 } }.`);
  }
  const settings: TaskSettings = {
    version: 2,
    cadence,
    timeoutAfterDuration: toIsoDuration(schedule.timeout as DurationInput, {
      where,
      key: 'timeout',
    }),
  };
  if (schedule.initialDelay !== undefined && schedule.initialDelay !== null) {
    settings.initialDelayDuration = toIsoDuration(schedule.initialDelay as DurationInput, {
      where,
      key: 'initialDelay',
    });
  }
  return settings;
}

/** Parses stored settings; returns undefined when they are not a version 2 object. */
export function parseStoredSettings(json: string | null | undefined): TaskSettings | undefined {
  if (!json) {
    return undefined;
  }
  try {
    const value = JSON.parse(json);
    if (
      value?.version === 2 &&
      typeof value.cadence === 'string' &&
      typeof value.timeoutAfterDuration === 'string' &&
      Duration.fromISO(value.timeoutAfterDuration).isValid
    ) {
      return value as TaskSettings;
    }
  } catch {
    // Unreadable settings are treated like missing ones.
  }
  return undefined;
}

/** The next cron time strictly after `after`. */
export function nextCronTime(cron: string, after: Date): Date {
  return loadCronParser()(cron, { currentDate: after }).next().toDate();
}

/**
 * When a task should first run on a fresh row: after the initial delay if one is set, else now
 * for a duration cadence, the next cron time for a cron cadence, and never for a manual one.
 */
export function firstRunAt(settings: TaskSettings, now: Date): Date | null {
  if (settings.cadence === 'manual') {
    return null;
  }
  if (settings.initialDelayDuration) {
    return new Date(now.getTime() + durationMs(settings.initialDelayDuration));
  }
  if (isCronCadence(settings.cadence)) {
    return nextCronTime(settings.cadence, now);
  }
  return now;
}

/**
 * The start of the next slot after a run of the slot that began at `slot` ended at `now`.
 * Duration cadences keep their grid (`slot + k * cadence`) and skip every slot that was missed,
 * so a task that was down for a while runs once and not once per missed slot.
 */
export function nextRunAfter(settings: TaskSettings, slot: Date | null, now: Date): Date | null {
  if (settings.cadence === 'manual') {
    return null;
  }
  if (isCronCadence(settings.cadence)) {
    return nextCronTime(settings.cadence, now);
  }
  const step = durationMs(settings.cadence);
  const base = slot ?? now;
  const elapsed = now.getTime() - base.getTime();
  const steps = elapsed < 0 ? 1 : Math.floor(elapsed / step) + 1;
  return new Date(base.getTime() + steps * step);
}

/**
 * The next run after a schedule changed: the sooner of the stored next run and what the new
 * schedule asks for from now, so a shorter cadence applies right away.
 */
export function nextRunAfterChange(
  settings: TaskSettings,
  storedNextRun: Date | null,
  now: Date,
): Date | null {
  if (settings.cadence === 'manual') {
    return null;
  }
  if (!storedNextRun) {
    return firstRunAt(settings, now);
  }
  let wanted: Date;
  if (isCronCadence(settings.cadence)) {
    wanted = nextCronTime(settings.cadence, now);
  } else {
    wanted = new Date(now.getTime() + durationMs(settings.cadence));
  }
  if (storedNextRun.getTime() < wanted.getTime()) {
    return storedNextRun;
  }
  return wanted;
}

/** cron-parser loads only when a plugin schedules a cron task. */
function loadCronParser(): typeof ParseExpression {
  return (require('cron-parser') as typeof import('cron-parser')).parseExpression;
}
