import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultPermissionsService } from './DefaultPermissionsService';

/**
 * The default `core.permissions`. Reads `permission.enabled` (default false: allow everything
 * that is not a restricted service) and `permission.EXPERIMENTAL_enableBatchedRequests`.
 */
export const permissionsServiceFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {
    auth: coreServices.auth,
    config: coreServices.rootConfig,
    discovery: coreServices.discovery,
  },
  async factory({ auth, config, discovery }) {
    return new DefaultPermissionsService({
      auth,
      discovery,
      enabled: config.getOptionalBoolean('permission.enabled') ?? false,
      batched: config.getOptionalBoolean('permission.EXPERIMENTAL_enableBatchedRequests') ?? false,
    });
  },
});
