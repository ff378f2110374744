import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultRootLifecycleService } from './DefaultRootLifecycleService';

/** The default `core.rootLifecycle` factory; hook failures are logged on the root logger. */
export const rootLifecycleServiceFactory = createServiceFactory({
  service: coreServices.rootLifecycle,
  deps: { logger: coreServices.rootLogger },
  factory: ({ logger }) => new DefaultRootLifecycleService(logger),
});
