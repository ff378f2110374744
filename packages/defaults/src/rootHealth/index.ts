export { rootHealthServiceFactory } from './rootHealthServiceFactory';
export { DefaultRootHealthService } from './DefaultRootHealthService';
export type { HealthCheckResult } from './DefaultRootHealthService';
