import type { Config } from './services/RootConfigService';
import type { SchedulerServiceTaskScheduleDefinition } from './services/SchedulerService';
import { InputError } from './errors';

/**
 * Reads a task schedule from config, e.g. `{ frequency: { minutes: 5 }, timeout: 'PT1M' }`.
 * Errors name the config key that is wrong.
 */
export function readSchedulerServiceTaskScheduleDefinitionFromConfig(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const frequency = config.get<any>('frequency');
  const timeout = config.get<any>('timeout');
  const initialDelay = config.getOptional<any>('initialDelay');
  const scope = config.getOptionalString('scope');
  if (scope !== undefined && scope !== 'global' && scope !== 'local') {
    throw new InputError(`Config key 'scope' must be 'global' or 'local', got '${scope}'.`);
  }
  return { frequency, timeout, initialDelay, scope: scope as 'global' | 'local' | undefined };
}
