import { ConfigReader as BackstageConfigReader } from '@backstage/config';
import { readDurationFromConfig as backstageReadDuration } from '@backstage/config';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig as backstageReadSchedule } from '@backstage/backend-plugin-api';
import type { Config } from './services/RootConfigService';
import type { HumanDuration } from './services/SchedulerService';
import { readDurationFromConfig } from './readDurationFromConfig';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from './readSchedulerConfig';

const MS: Record<string, number> = {
  years: 365.25 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

function toMs(duration: HumanDuration): number {
  return Object.entries(duration).reduce((sum, [unit, n]) => sum + MS[unit] * (n as number), 0);
}

function config(data: object): Config {
  // Backstage's own reader has the same interface as the rootConfig service.
  return new BackstageConfigReader(data as any) as unknown as Config;
}

describe('readDurationFromConfig', () => {
  it.each([
    ['PT30S', 30_000],
    ['P1DT2H', 93_600_000],
    ['PT1.5S', 1500],
    ['P2W', 14 * 86_400_000],
    ['5m', 300_000],
    ['30 seconds', 30_000],
    ['2 hours', 7_200_000],
    ['1.5h', 5_400_000],
    ['0ms', 0],
    [{ minutes: 5 }, 300_000],
    [{ hours: 1, seconds: 30 }, 3_630_000],
  ])('should read %j as Backstage does', (value, expected) => {
    const ours = readDurationFromConfig(config({ d: value }), { key: 'd' });
    const theirs = backstageReadDuration(new BackstageConfigReader({ d: value }), { key: 'd' });

    expect(toMs(ours)).toBe(expected);
    expect(toMs(theirs as HumanDuration)).toBe(expected);
  });

  it.each([
    ['30'],
    ['soon'],
    ['-5m'],
    ['P'],
    ['PT'],
    [''],
    [{}],
    [{ minutes: 'five' }],
    [{ fortnights: 1 }],
    [[1]],
    [true],
  ])('should refuse %j, as Backstage does, naming the key and the accepted forms', value => {
    expect(() =>
      backstageReadDuration(new BackstageConfigReader({ d: value } as any), { key: 'd' }),
    ).toThrow();
    expect(() => readDurationFromConfig(config({ d: value }), { key: 'd' })).toThrow(
      `Invalid duration ${JSON.stringify(value)} at config key 'd'; use an ISO duration like 'PT30S', a string like '30 seconds' or '5m', or an object like { minutes: 5 }.`,
    );
  });

  it('should read the whole config when no key is given', () => {
    expect(readDurationFromConfig(config({ seconds: 10 }))).toEqual({ seconds: 10 });
  });
});

describe('readSchedulerServiceTaskScheduleDefinitionFromConfig', () => {
  it.each([
    [{ frequency: { cron: '*/5 * * * *' }, timeout: 'PT1M' }],
    [{ frequency: { trigger: 'manual' }, timeout: { minutes: 1 } }],
    [{ frequency: '30 minutes', timeout: '1m', initialDelay: 'PT10S', scope: 'local' }],
    [{ frequency: { hours: 1 }, timeout: { minutes: 10 }, scope: 'global' }],
  ])('should read %j into the same schedule as Backstage', data => {
    const ours = readSchedulerServiceTaskScheduleDefinitionFromConfig(config(data));
    const theirs = backstageReadSchedule(new BackstageConfigReader(data));

    const normalize = (schedule: any) => ({
      ...schedule,
      frequency:
        'cron' in schedule.frequency || 'trigger' in schedule.frequency
          ? schedule.frequency
          : toMs(schedule.frequency),
      timeout: toMs(schedule.timeout),
      initialDelay: schedule.initialDelay && toMs(schedule.initialDelay),
    });
    expect(normalize(ours)).toEqual(normalize(theirs));
  });

  it("should name 'frequency' when it is a cron string instead of { cron }", () => {
    expect(() =>
      readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config({ frequency: '*/5 * * * *', timeout: 'PT1M' }),
      ),
    ).toThrow(`Invalid duration "*/5 * * * *" at config key 'frequency'`);
  });

  it("should refuse a scope other than 'global' or 'local'", () => {
    expect(() =>
      readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config({ frequency: 'PT1M', timeout: 'PT1M', scope: 'cluster' }),
      ),
    ).toThrow("Config key 'scope' must be 'global' or 'local', got 'cluster'.");
  });
});
