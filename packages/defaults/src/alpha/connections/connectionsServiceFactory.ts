import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { connectionsServiceRef } from '@backplane/plugin-api/alpha';
import { DefaultConnectionsService } from './DefaultConnectionsService';

/**
 * The default `alpha.core.connections`: reads `connections` from config once per backend and
 * gives each plugin the connections that match it.
 */
export const connectionsServiceFactory = createServiceFactory({
  service: connectionsServiceRef,
  deps: { rootConfig: coreServices.rootConfig, pluginMetadata: coreServices.pluginMetadata },
  createRootContext({ rootConfig }) {
    return DefaultConnectionsService.fromConfig(rootConfig);
  },
  factory({ pluginMetadata }, connections) {
    return connections.forPlugin(pluginMetadata.getId());
  },
});
