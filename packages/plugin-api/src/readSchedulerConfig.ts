import type { Config } from './services/RootConfigService';
import type { SchedulerServiceTaskScheduleDefinition } from './services/SchedulerService';
import { InputError } from './errors';
import { fullConfigKey } from './fullConfigKey';
import { readDurationFromConfig } from './readDurationFromConfig';

/**
 * Reads a task schedule from config, as Backstage's reader of the same name does:
 * `frequency` is `{ cron: '*\/5 * * * *' }`, `{ trigger: 'manual' }` or a duration; `timeout` and
 * `initialDelay` are durations (see {@link readDurationFromConfig}); `scope` is `global` or
 * `local`. Durations come back as objects like `{ minutes: 5 }`, which every scheduler accepts.
 * Errors name the config key that is wrong.
 */
export function readSchedulerServiceTaskScheduleDefinitionFromConfig(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const frequency = readFrequency(config);
  const timeout = readDurationFromConfig(config, { key: 'timeout' });
  const initialDelay = config.has('initialDelay')
    ? readDurationFromConfig(config, { key: 'initialDelay' })
    : undefined;
  const scope = config.getOptionalString('scope');
  if (scope !== undefined && scope !== 'global' && scope !== 'local') {
    const key = fullConfigKey(config, 'scope');
    throw new InputError(`Config key '${key}' must be 'global' or 'local', got '${scope}'.`);
  }
  return { frequency, timeout, initialDelay, scope: scope as 'global' | 'local' | undefined };
}

function readFrequency(config: Config): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const value = config.get<unknown>('frequency');
  if (typeof value === 'object' && value !== null) {
    const { cron, trigger } = value as { cron?: unknown; trigger?: unknown };
    if (typeof cron === 'string') {
      return { cron };
    }
    if (trigger === 'manual') {
      return { trigger: 'manual' };
    }
  }
  return readDurationFromConfig(config, { key: 'frequency' });
}
