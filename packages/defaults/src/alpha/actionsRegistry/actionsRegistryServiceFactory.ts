import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { actionsRegistryServiceRef } from '@backplane/plugin-api/alpha';
import { DefaultActionsRegistryService } from './DefaultActionsRegistryService';

/**
 * The default `alpha.core.actionsRegistry`: a plugin registers actions, which are listed and
 * invoked through `/.backstage/actions/v1/actions` on the plugin's router.
 */
export const actionsRegistryServiceFactory = createServiceFactory({
  service: actionsRegistryServiceRef,
  deps: {
    pluginMetadata: coreServices.pluginMetadata,
    httpRouter: coreServices.httpRouter,
    httpAuth: coreServices.httpAuth,
    logger: coreServices.logger,
    auth: coreServices.auth,
    permissions: coreServices.permissions,
    permissionsRegistry: coreServices.permissionsRegistry,
  },
  factory({
    pluginMetadata,
    httpRouter,
    httpAuth,
    logger,
    auth,
    permissions,
    permissionsRegistry,
  }) {
    const registry = DefaultActionsRegistryService.create({
      pluginId: pluginMetadata.getId(),
      logger,
      auth,
      httpAuth,
      permissions,
      permissionsRegistry,
    });
    httpRouter.use(registry.createRouter());
    return registry;
  },
});
