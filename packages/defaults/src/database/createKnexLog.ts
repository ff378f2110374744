import type { LoggerService } from '@backplane/plugin-api';

/** The `log` option of a Knex config. */
export interface KnexLog {
  debug(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
  deprecate(method: string, alternative: string): void;
}

/**
 * Routes Knex's own messages to the plugin's logger instead of the console, the text Knex wrote
 * under `detail`. Failed connection attempts go to debug: the query that needed the connection
 * fails with a clearer error.
 */
export function createKnexLog(logger: LoggerService): KnexLog {
  const text = (message: unknown) => (typeof message === 'string' ? message : String(message));
  return {
    debug: message => logger.debug('Knex debug message', { detail: text(message) }),
    warn(message) {
      const value = text(message);
      if (value.startsWith('Acquire connection error')) {
        logger.debug('Knex failed to open a connection', { detail: value });
      } else {
        logger.warn('Knex warning', { detail: value });
      }
    },
    error: message => logger.error('Knex error', { detail: text(message) }),
    deprecate: (method, alternative) => logger.warn('Knex deprecation', { method, alternative }),
  };
}
