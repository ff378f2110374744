import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { metricsServiceRef } from '@backplane/plugin-api/alpha';
import { DefaultMetricsService } from './DefaultMetricsService';

/**
 * The default `alpha.core.metrics`: in-memory instruments per plugin, on a meter named by
 * `backend.metrics.plugin.<pluginId>.meter.{name,version,schemaUrl}`.
 */
export const metricsServiceFactory = createServiceFactory({
  service: metricsServiceRef,
  deps: { config: coreServices.rootConfig, pluginMetadata: coreServices.pluginMetadata },
  factory({ config, pluginMetadata }) {
    const pluginId = pluginMetadata.getId();
    const meter = config.getOptionalConfig(`backend.metrics.plugin.${pluginId}.meter`);
    return DefaultMetricsService.create({
      pluginId,
      meter: {
        name: meter?.getOptionalString('name'),
        version: meter?.getOptionalString('version'),
        schemaUrl: meter?.getOptionalString('schemaUrl'),
      },
    });
  },
});
