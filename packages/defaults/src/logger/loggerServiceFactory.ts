import { coreServices, createServiceFactory } from '@backplane/plugin-api';

/**
 * The default `core.logger` factory: the root logger's child carrying `plugin: <pluginId>` on
 * every line.
 */
export const loggerServiceFactory = createServiceFactory({
  service: coreServices.logger,
  deps: { rootLogger: coreServices.rootLogger, pluginMetadata: coreServices.pluginMetadata },
  factory: ({ rootLogger, pluginMetadata }) => rootLogger.child({ plugin: pluginMetadata.getId() }),
});
