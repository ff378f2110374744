export { httpRouterServiceFactory } from './httpRouterServiceFactory';
export { AuthPolicyMatcher, isCanonicalPath } from './AuthPolicyMatcher';
export type { AuthPolicyDecision } from './AuthPolicyMatcher';
export { LifecycleGate } from './LifecycleGate';
export { createPluginRequestHandler, JWKS_PATH, COOKIE_PATH } from './createPluginRequestHandler';
export type { PluginRequestHandlerOptions } from './createPluginRequestHandler';
