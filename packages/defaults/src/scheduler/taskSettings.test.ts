import { describe, expect, it } from 'vitest';
import { Duration } from 'luxon';
import type { SchedulerServiceTaskScheduleDefinition } from '@backplane/plugin-api';
import { readTaskSettings } from './taskSettings';

const where = "Task 'sync' of plugin 'catalog'";
const durationForms = "use an ISO duration like 'PT30S' or a duration object like { minutes: 5 }";
const frequencyForms =
  "use an ISO duration like 'PT30S', a duration object like { minutes: 5 }, " +
  "a cron expression like { cron: '*/5 * * * *' }, or { trigger: 'manual' }";

function read(schedule: Record<string, unknown>) {
  return () =>
    readTaskSettings(where, schedule as unknown as SchedulerServiceTaskScheduleDefinition);
}

describe('readTaskSettings', () => {
  it('should store durations, cron expressions and manual triggers in the official form', () => {
    expect(readTaskSettings(where, { frequency: { minutes: 5 }, timeout: 'PT1M' })).toEqual({
      version: 2,
      cadence: 'PT5M',
      timeoutAfterDuration: 'PT1M',
    });
    expect(
      readTaskSettings(where, {
        frequency: { cron: ' */5 * * * * ' },
        timeout: Duration.fromObject({ seconds: 30 }),
        initialDelay: { seconds: 10 },
      }),
    ).toEqual({
      version: 2,
      cadence: '*/5 * * * *',
      timeoutAfterDuration: 'PT30S',
      initialDelayDuration: 'PT10S',
    });
    expect(readTaskSettings(where, { frequency: { trigger: 'manual' }, timeout: 'PT1M' })).toEqual({
      version: 2,
      cadence: 'manual',
      timeoutAfterDuration: 'PT1M',
    });
  });

  it('should name the task, the key and the accepted forms of a frequency that is not a duration', () => {
    expect(read({ frequency: { mins: 5 }, timeout: 'PT1M' })).toThrow(
      `${where} has an invalid 'frequency' duration object {"mins":5}; ${frequencyForms}; ` +
        'caused by Error: Invalid unit mins',
    );
    expect(read({ frequency: 5000, timeout: 'PT1M' })).toThrow(
      `${where} has 'frequency' 5000, which is not a duration; ${frequencyForms}.`,
    );
    expect(read({ frequency: 'every minute', timeout: 'PT1M' })).toThrow(
      `${where} has an invalid 'frequency' duration 'every minute' ` +
        `(the input "every minute" can't be parsed as ISO 8601); ${frequencyForms}.`,
    );
    expect(read({ frequency: 'PT0S', timeout: 'PT1M' })).toThrow(
      `${where} has 'frequency' 'PT0S', which is not longer than zero; ${frequencyForms}.`,
    );
    expect(read({ frequency: Duration.fromISO('nope'), timeout: 'PT1M' })).toThrow(
      `${where} has an invalid 'frequency' duration Duration.invalid ` +
        `(the input "nope" can't be parsed as ISO 8601); ${frequencyForms}.`,
    );
  });

  it('should name the key and the duration forms of a bad timeout or initialDelay', () => {
    expect(read({ frequency: { minutes: 1 }, timeout: { mins: 1 } })).toThrow(
      `${where} has an invalid 'timeout' duration object {"mins":1}; ${durationForms}; ` +
        'caused by Error: Invalid unit mins',
    );
    expect(read({ frequency: { minutes: 1 }, timeout: { seconds: 0 } })).toThrow(
      `${where} has 'timeout' {"seconds":0}, which is not longer than zero; ${durationForms}.`,
    );
    expect(read({ frequency: { minutes: 1 }, timeout: 'PT1M', initialDelay: true })).toThrow(
      `${where} has 'initialDelay' true, which is not a duration; ${durationForms}.`,
    );
    expect(read({ frequency: { minutes: 1 } })).toThrow(
      `${where} has no 'timeout'; give one, like { timeout: { minutes: 10 } }.`,
    );
  });

  it('should say how to write a cron expression or a manual trigger when one is wrong', () => {
    expect(read({ frequency: { cron: 'every day' }, timeout: 'PT1M' })).toThrow(
      `${where} has an invalid cron expression 'every day'. Use five fields ` +
        `(minute hour day month weekday) or six with seconds first, like { cron: '*/5 * * * *' }; ` +
        'caused by Error: Validation error, cannot resolve alias "eve"',
    );
    expect(read({ frequency: { cron: 'manual' }, timeout: 'PT1M' })).toThrow(
      `${where} has the cron expression 'manual'; ` +
        `use frequency { trigger: 'manual' } for a task that runs only when triggered.`,
    );
    expect(read({ frequency: { cron: 'PT5M' }, timeout: 'PT1M' })).toThrow(
      `${where} has the cron expression 'PT5M', which looks like an ISO duration; ` +
        `give it as the frequency itself, like frequency: 'PT5M', not under 'cron'.`,
    );
    expect(read({ frequency: { trigger: 'often' }, timeout: 'PT1M' })).toThrow(
      `${where} has 'frequency.trigger' 'often'; ` +
        `the only trigger is 'manual', so use { trigger: 'manual' }.`,
    );
  });

  it('should throw InputError, so the HTTP error handler answers 400', () => {
    expect(read({ frequency: 'soon', timeout: 'PT1M' })).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});
