export { actionsRegistryServiceFactory } from './actionsRegistry/actionsRegistryServiceFactory';
export { DefaultActionsRegistryService } from './actionsRegistry/DefaultActionsRegistryService';
export type { DefaultActionsRegistryServiceOptions } from './actionsRegistry/DefaultActionsRegistryService';
export { actionsServiceFactory } from './actions/actionsServiceFactory';
export { DefaultActionsService } from './actions/DefaultActionsService';
export type { DefaultActionsServiceOptions } from './actions/DefaultActionsService';
export { metricsServiceFactory } from './metrics/metricsServiceFactory';
export { DefaultMetricsService } from './metrics/DefaultMetricsService';
export type {
  HistogramPoint,
  MeterInfo,
  MetricInstrumentType,
  MetricPoint,
  MetricSnapshot,
} from './metrics/DefaultMetricsService';
export { tracingServiceFactory } from './tracing/tracingServiceFactory';
export { DefaultTracingService } from './tracing/DefaultTracingService';
export type { DefaultTracingServiceOptions, FinishedSpan } from './tracing/DefaultTracingService';
export { connectionsServiceFactory } from './connections/connectionsServiceFactory';
export { DefaultConnectionsService } from './connections/DefaultConnectionsService';
