import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultRootHealthService } from './DefaultRootHealthService';

/** The default `core.rootHealth` factory, driven by the root lifecycle. */
export const rootHealthServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: { lifecycle: coreServices.rootLifecycle },
  factory: ({ lifecycle }) => new DefaultRootHealthService({ lifecycle }),
});
