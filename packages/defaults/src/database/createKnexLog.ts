import type { LoggerService } from '@backplane/plugin-api';

/** The `log` option of a Knex config. */
export interface KnexLog {
  debug(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
  deprecate(method: string, alternative: string): void;
}

/**
 * Knex's two warnings when its migration lock is taken. The `MigrationLocked` error the plugin
 * then gets says more, and the second warning's advice (`knex migrate:unlock`) needs a knexfile a
 * Backplane backend does not have.
 */
const MIGRATION_LOCK_WARNINGS = [
  "Can't take lock to run migrations",
  'If you are sure migrations are not running you can release the lock manually',
];

/**
 * Routes Knex's own messages to the plugin's logger instead of the console, the text Knex wrote
 * under `detail`. Failed connection attempts and the migration lock warnings go to debug: the
 * query or migration that needed them fails with a clearer error.
 */
export function createKnexLog(logger: LoggerService): KnexLog {
  const text = (message: unknown) => (typeof message === 'string' ? message : String(message));
  return {
    debug: message => logger.debug('Knex debug message', { detail: text(message) }),
    warn(message) {
      const value = text(message);
      if (value.startsWith('Acquire connection error')) {
        logger.debug('Knex failed to open a connection', { detail: value });
      } else if (MIGRATION_LOCK_WARNINGS.some(start => value.startsWith(start))) {
        logger.debug('Knex found its migration lock taken', { detail: value });
      } else {
        logger.warn('Knex warning', { detail: value });
      }
    },
    error: message => logger.error('Knex error', { detail: text(message) }),
    deprecate: (method, alternative) => logger.warn('Knex deprecation', { method, alternative }),
  };
}
