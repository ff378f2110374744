import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { HostDiscovery } from './HostDiscovery';

/** The default `core.discovery` factory: one {@link HostDiscovery} shared by every plugin. */
export const discoveryServiceFactory = createServiceFactory({
  service: coreServices.discovery,
  deps: { config: coreServices.rootConfig },
  createRootContext: ({ config }) => HostDiscovery.fromConfig(config),
  factory: (_deps, discovery) => discovery,
});
