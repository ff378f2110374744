/**
 * Test doubles of the alpha services (`@backplane/plugin-api/alpha`): actions registry, actions,
 * metrics and tracing. Like the services themselves, their shapes may still change.
 */
export { MockActionsRegistry } from './MockActionsRegistry';
export { actionsRegistryServiceMock } from './actionsRegistryServiceMock';
export { actionsServiceMock } from './actionsServiceMock';
export { metricsServiceMock } from './metricsServiceMock';
export { tracingServiceMock } from './tracingServiceMock';
export type {
  MockedTracingServiceContextAPI,
  MockedTracingServicePropagationAPI,
  MockedTracingServiceSpan,
  TracingServiceMock,
} from './tracingServiceMock';
export type { ServiceMock } from '../services/createServiceMock';
