import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { actionsServiceRef } from '@backplane/plugin-api/alpha';
import { DefaultActionsService } from './DefaultActionsService';

/**
 * The default `alpha.core.actions`: lists and invokes the actions of the plugins named in
 * `backend.actions.pluginSources`.
 */
export const actionsServiceFactory = createServiceFactory({
  service: actionsServiceRef,
  deps: {
    discovery: coreServices.discovery,
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
  },
  factory({ discovery, config, logger, auth }) {
    return DefaultActionsService.create({ discovery, config, logger, auth });
  },
});
