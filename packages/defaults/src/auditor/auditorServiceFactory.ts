import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultAuditorService } from './DefaultAuditorService';
import { readSeverityLogLevelMappings } from './readSeverityLogLevelMappings';

/**
 * The default `core.auditor`: audit events become structured entries on the plugin's logger,
 * at the level `backend.auditor.severityLogLevelMappings` sets for their severity.
 */
export const auditorServiceFactory = createServiceFactory({
  service: coreServices.auditor,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    pluginMetadata: coreServices.pluginMetadata,
  },
  factory({ config, logger, auth, httpAuth, pluginMetadata }) {
    return DefaultAuditorService.create({
      pluginId: pluginMetadata.getId(),
      logger,
      auth,
      httpAuth,
      levels: readSeverityLogLevelMappings(config),
    });
  },
});
