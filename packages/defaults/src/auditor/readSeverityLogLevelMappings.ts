import { InputError } from '@backplane/plugin-api';
import type { AuditorServiceEventSeverityLevel, Config } from '@backplane/plugin-api';

/** A log level an audit event can be written at. */
export type AuditorLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The log level of each severity. */
export type SeverityLogLevelMappings = Record<AuditorServiceEventSeverityLevel, AuditorLogLevel>;

const LEVELS: readonly AuditorLogLevel[] = ['debug', 'info', 'warn', 'error'];

const DEFAULTS: SeverityLogLevelMappings = {
  low: 'debug',
  medium: 'info',
  high: 'info',
  critical: 'info',
};

/**
 * Reads `backend.auditor.severityLogLevelMappings.{low,medium,high,critical}`; each is a log
 * level and defaults to debug, info, info and info.
 */
export function readSeverityLogLevelMappings(config: Config): SeverityLogLevelMappings {
  const result = { ...DEFAULTS };
  for (const severity of Object.keys(DEFAULTS) as AuditorServiceEventSeverityLevel[]) {
    const key = `backend.auditor.severityLogLevelMappings.${severity}`;
    const value = config.getOptionalString(key);
    if (value === undefined) {
      continue;
    }
    if (!LEVELS.includes(value as AuditorLogLevel)) {
      throw new InputError(
        `Config '${key}' must be one of ${LEVELS.map(l => `'${l}'`).join(', ')}, got '${value}'.`,
      );
    }
    result[severity] = value as AuditorLogLevel;
  }
  return result;
}
