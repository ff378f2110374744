import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultLifecycleService } from './DefaultLifecycleService';

/** The default `core.lifecycle` factory; hook failures are logged on the plugin's logger. */
export const lifecycleServiceFactory = createServiceFactory({
  service: coreServices.lifecycle,
  deps: { logger: coreServices.logger, pluginMetadata: coreServices.pluginMetadata },
  factory: ({ logger }) => new DefaultLifecycleService(logger),
});
