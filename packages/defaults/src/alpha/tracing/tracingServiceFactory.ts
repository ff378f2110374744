import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { tracingServiceRef } from '@backplane/plugin-api/alpha';
import { DefaultTracingService } from './DefaultTracingService';

/**
 * The default `alpha.core.tracing`: spans with context propagation and no exporter, so they
 * are recorded nowhere. `backend.tracing.capture.endUser: true` adds `enduser.id` to spans.
 */
export const tracingServiceFactory = createServiceFactory({
  service: tracingServiceRef,
  deps: {
    config: coreServices.rootConfig,
    pluginMetadata: coreServices.pluginMetadata,
    httpAuth: coreServices.httpAuth,
  },
  factory({ config, pluginMetadata, httpAuth }) {
    return DefaultTracingService.create({
      pluginId: pluginMetadata.getId(),
      httpAuth,
      captureEndUser: config.getOptionalBoolean('backend.tracing.capture.endUser') ?? false,
    });
  },
});
