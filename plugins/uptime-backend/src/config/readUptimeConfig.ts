import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backplane/plugin-api';
import type { Config, SchedulerServiceTaskScheduleDefinition } from '@backplane/plugin-api';
import { parseAllowedHost } from './parseAllowedHost';
import type { AllowedHost } from './parseAllowedHost';

/** The settings of the uptime plugin, read from the `uptime` block of app-config. */
export interface UptimeConfig {
  /** When the check task runs; always scheduled as a global task. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Which hosts users may watch (`uptime.allowedHosts`); empty allows none. */
  allowedHosts: AllowedHost[];
  /** The longest one check waits for a response, in milliseconds. */
  requestTimeoutMs: number;
  /** The most targets the plugin watches. */
  maxTargets: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { seconds: 30 },
};
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_TARGETS = 100;

const MS_PER_UNIT: Record<string, number> = { milliseconds: 1, seconds: 1000, minutes: 60_000 };

/** Reads a positive number of milliseconds, or a duration object such as `{ seconds: 5 }`. */
function readMilliseconds(config: Config, key: string, fallback: number): number {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return fallback;
  }
  let ms = typeof value === 'number' ? value : NaN;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const known = entries.every(([unit, n]) => unit in MS_PER_UNIT && typeof n === 'number');
    ms = known
      ? entries.reduce((sum, [unit, n]) => sum + (n as number) * MS_PER_UNIT[unit], 0)
      : NaN;
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `Config 'uptime.${key}' must be a positive number of milliseconds or a duration such as { seconds: 10 }, got ${JSON.stringify(value)}.`,
    );
  }
  return ms;
}

/**
 * Reads `uptime.schedule`, `uptime.allowedHosts`, `uptime.requestTimeout` and
 * `uptime.maxTargets`. Errors name the key and say what to write instead.
 */
export function readUptimeConfig(rootConfig: Config): UptimeConfig {
  const config = rootConfig.getOptionalConfig('uptime');
  if (!config) {
    return {
      schedule: DEFAULT_SCHEDULE,
      allowedHosts: [],
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      maxTargets: DEFAULT_MAX_TARGETS,
    };
  }

  const scheduleConfig = config.getOptionalConfig('schedule');
  const schedule = scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : DEFAULT_SCHEDULE;

  const rawHosts = config.getOptional<unknown>('allowedHosts') ?? [];
  if (!Array.isArray(rawHosts)) {
    throw new Error(
      `Config 'uptime.allowedHosts' must be a list of hosts such as ['status.example.com', '*.example.org'].`,
    );
  }
  const allowedHosts = rawHosts.map((entry, index) =>
    parseAllowedHost(entry, `uptime.allowedHosts[${index}]`),
  );

  const maxTargets = config.getOptional<unknown>('maxTargets') ?? DEFAULT_MAX_TARGETS;
  if (typeof maxTargets !== 'number' || !Number.isInteger(maxTargets) || maxTargets < 1) {
    throw new Error(
      `Config 'uptime.maxTargets' must be a whole number of 1 or more, got ${JSON.stringify(maxTargets)}.`,
    );
  }

  return {
    schedule,
    allowedHosts,
    requestTimeoutMs: readMilliseconds(config, 'requestTimeout', DEFAULT_REQUEST_TIMEOUT_MS),
    maxTargets,
  };
}
