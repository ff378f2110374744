import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { CacheManager } from './CacheManager';

/**
 * The default `core.cache` factory: a best-effort key-value cache per plugin, in memory or on
 * Redis as configured under `backend.cache`. The Redis connection is closed when the root
 * lifecycle shuts down.
 */
export const cacheServiceFactory = createServiceFactory({
  service: coreServices.cache,
  deps: {
    config: coreServices.rootConfig,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    const logger = rootLogger.child({ type: 'cacheManager' });
    const manager = CacheManager.fromConfig(config, { logger });
    rootLifecycle.addShutdownHook(() => manager.shutdown(), { logger });
    return manager;
  },
  async factory({ pluginMetadata }, manager) {
    return manager.forPlugin(pluginMetadata.getId());
  },
});
