import type { Config, DatabaseService, LoggerService } from '@backplane/plugin-api';
import { DatabaseKeyStore, migratePublicKeysTable } from './DatabaseKeyStore';
import { DatabasePluginKeySource } from './DatabasePluginKeySource';
import { StaticPluginKeySource } from './StaticPluginKeySource';
import type { PluginKeySource } from './types';

const TYPE_KEY = 'backend.auth.pluginKeyStore.type';

/**
 * The key source chosen by `backend.auth.pluginKeyStore.type` (`database`, the default, or
 * `static`). The database is opened on first use, not at startup.
 */
export async function createPluginKeySource(options: {
  config: Config;
  database: DatabaseService;
  logger: LoggerService;
  keyDurationSeconds: number;
}): Promise<PluginKeySource> {
  const { config, database, logger, keyDurationSeconds } = options;
  const type = config.getOptionalString(TYPE_KEY) ?? 'database';

  if (type === 'static') {
    return StaticPluginKeySource.fromConfig(config, keyDurationSeconds);
  }
  if (type !== 'database') {
    throw new Error(
      `Invalid config '${TYPE_KEY}': unknown plugin key store type '${type}', expected 'database' or 'static'`,
    );
  }

  let store: Promise<DatabaseKeyStore> | undefined;
  const getStore = () => {
    store ??= (async () => {
      const knex = await database.getClient();
      if (!database.migrations?.skip) {
        await migratePublicKeysTable(knex);
      }
      return new DatabaseKeyStore(knex, logger);
    })().catch(error => {
      store = undefined;
      throw new Error('Could not open the plugin key store in the plugin database', {
        cause: error,
      });
    });
    return store;
  };
  return new DatabasePluginKeySource({ getStore, logger, keyDurationSeconds });
}
