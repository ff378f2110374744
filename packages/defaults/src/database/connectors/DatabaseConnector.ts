import type { Knex } from 'knex';
import type { KnexLog } from '../createKnexLog';
import type { PluginDatabaseSettings } from '../readDatabaseSettings';

/** Opens plugin databases on one engine. One instance serves every plugin of a backend. */
export interface DatabaseConnector {
  /**
   * Creates the plugin's database (and schema) when `ensureExists` asks for it, then returns a
   * Knex client for it. Does not check the connection; the caller does. Knex's own messages go
   * to `log`.
   */
  createClient(settings: PluginDatabaseSettings, log?: KnexLog): Promise<Knex>;

  /**
   * Server engines: runs `task` while holding a database lock named after the plugin's database
   * (and schema), so that the migrations of replicas run one after another. Calls `onWait` once
   * when another replica holds the lock. The lock lives on a connection of its own.
   */
  withMigrationLock?<T>(
    settings: PluginDatabaseSettings,
    task: () => Promise<T>,
    onWait: () => void,
    log?: KnexLog,
  ): Promise<T>;
}
