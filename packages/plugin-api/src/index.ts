export * from './wiring/types';
export { createServiceRef } from './wiring/createServiceRef';
export type { ServiceRefOptions } from './wiring/createServiceRef';
export { createServiceFactory } from './wiring/createServiceFactory';
export type {
  RootServiceFactoryOptions,
  PluginServiceFactoryOptions,
} from './wiring/createServiceFactory';
export { createExtensionPoint } from './wiring/createExtensionPoint';
export { createBackendPlugin } from './wiring/createBackendPlugin';
export type {
  BackendPluginRegistrationPoints,
  CreateBackendPluginOptions,
} from './wiring/createBackendPlugin';
export { createBackendModule } from './wiring/createBackendModule';
export type {
  BackendModuleRegistrationPoints,
  CreateBackendModuleOptions,
} from './wiring/createBackendModule';
export { createBackendFeatureLoader } from './wiring/createBackendFeatureLoader';
export type { CreateBackendFeatureLoaderOptions } from './wiring/createBackendFeatureLoader';
export type {
  ExtensionPointRegistration,
  InitRegistration,
  ConnectionRegistration,
} from './wiring/registration';
export { isValidId, assertValidId } from './wiring/ids';
export { coreServices } from './coreServices';
export type { CoreServices } from './coreServices';
export type * from './services';
export * from './errors';
export { resolvePackagePath, resolveSafeChildPath, isChildPath } from './paths';
export { isDatabaseConflictError } from './isDatabaseConflictError';
export { readSchedulerServiceTaskScheduleDefinitionFromConfig } from './readSchedulerConfig';
export { readDurationFromConfig } from './readDurationFromConfig';
export { FULL_CONFIG_KEY, fullConfigKey } from './fullConfigKey';
export type { ConfigWithFullKey } from './fullConfigKey';
