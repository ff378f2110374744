import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DatabaseManager } from './DatabaseManager';

/**
 * The default `core.database` factory: a Knex client private to each plugin, configured under
 * `backend.database` (embedded SQLite when that key is absent). All clients are closed when the
 * root lifecycle shuts down, after every plugin's shutdown hooks have run.
 */
export const databaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    const logger = rootLogger.child({ type: 'databaseManager' });
    const manager = DatabaseManager.fromConfig(config, { logger });
    rootLifecycle.addShutdownHook(() => manager.shutdown(), { logger });
    return manager;
  },
  async factory({ logger, pluginMetadata }, manager) {
    return manager.forPlugin(pluginMetadata.getId(), { logger });
  },
});
