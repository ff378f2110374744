import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultEventsService } from './DefaultEventsService';
import { eventsServiceRef } from './EventsService';

/**
 * The default `events.service`: one in-process bus per backend (created once, in the root
 * context), seen by each plugin through its own view.
 */
export const eventsServiceFactory = createServiceFactory({
  service: eventsServiceRef,
  deps: {
    pluginMetadata: coreServices.pluginMetadata,
    rootLogger: coreServices.rootLogger,
    rootConfig: coreServices.rootConfig,
    logger: coreServices.logger,
  },
  createRootContext({ rootLogger, rootConfig }) {
    return DefaultEventsService.create({ logger: rootLogger, config: rootConfig });
  },
  factory({ pluginMetadata, logger }, bus) {
    return bus.forPlugin(pluginMetadata.getId(), { logger });
  },
});
