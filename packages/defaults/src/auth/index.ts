export { authServiceFactory, externalTokenHandlersServiceRef } from './authServiceFactory';
export { DefaultAuthService } from './DefaultAuthService';
export { createExternalTokenHandler } from './external/createExternalTokenHandler';
export type { ExternalTokenHandler } from './external/types';
export {
  createNoneCredentials,
  createServiceCredentials,
  createUserCredentials,
  toInternalCredentials,
} from './credentials';
export type { InternalBackstageCredentials } from './credentials';
export { tokenTypes } from './tokenTypes';
export { PLUGIN_JWKS_PATH } from './PluginTokenHandler';
export { USER_JWKS_PATH } from './UserTokenHandler';
export { JwksCache } from './JwksCache';
export type { JwksCacheOptions } from './JwksCache';
