export { rootHttpRouterServiceFactory } from './rootHttpRouterServiceFactory';
export type {
  ListeningRootHttpRouterService,
  RootHttpRouterConfigureContext,
  RootHttpRouterFactoryOptions,
  RootHttpRouterMiddleware,
} from './rootHttpRouterServiceFactory';
export { DefaultRootHttpRouter } from './DefaultRootHttpRouter';
export type { DefaultRootHttpRouterOptions } from './DefaultRootHttpRouter';
export {
  createErrorHandler,
  createErrorResponseBody,
  createNotFoundHandler,
  errorStatusCode,
  sendErrorResponse,
} from './errorResponse';
export type { ErrorResponseBody, ErrorResponseOptions } from './errorResponse';
export { createHealthHandler, LIVENESS_PATH, READINESS_PATH } from './createHealthHandler';
export type { HealthHandlerOptions } from './createHealthHandler';
export { readHttpServerOptions, DEFAULT_PORT } from './readHttpServerOptions';
export type { HttpServerOptions } from './readHttpServerOptions';
export { readCorsOptions } from './readCorsOptions';
export { createExpressCompat } from './createExpressCompat';
export type { ExpressCompat } from './createExpressCompat';
