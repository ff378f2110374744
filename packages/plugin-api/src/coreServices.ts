import { createServiceRef } from './wiring/createServiceRef';
import type * as s from './services';

/** Refs for every core service. A backend must provide a factory for each one it uses. */
export const coreServices = {
  auth: createServiceRef<s.AuthService>({ id: 'core.auth' }),
  userInfo: createServiceRef<s.UserInfoService>({ id: 'core.userInfo' }),
  cache: createServiceRef<s.CacheService>({ id: 'core.cache' }),
  rootConfig: createServiceRef<s.RootConfigService>({ id: 'core.rootConfig', scope: 'root' }),
  database: createServiceRef<s.DatabaseService>({ id: 'core.database' }),
  discovery: createServiceRef<s.DiscoveryService>({ id: 'core.discovery' }),
  rootHealth: createServiceRef<s.RootHealthService>({ id: 'core.rootHealth', scope: 'root' }),
  httpAuth: createServiceRef<s.HttpAuthService>({ id: 'core.httpAuth' }),
  httpRouter: createServiceRef<s.HttpRouterService>({ id: 'core.httpRouter' }),
  lifecycle: createServiceRef<s.LifecycleService>({ id: 'core.lifecycle' }),
  logger: createServiceRef<s.LoggerService>({ id: 'core.logger' }),
  auditor: createServiceRef<s.AuditorService>({ id: 'core.auditor' }),
  permissions: createServiceRef<s.PermissionsService>({ id: 'core.permissions' }),
  permissionsRegistry: createServiceRef<s.PermissionsRegistryService>({
    id: 'core.permissionsRegistry',
  }),
  pluginMetadata: createServiceRef<s.PluginMetadataService>({ id: 'core.pluginMetadata' }),
  rootHttpRouter: createServiceRef<s.RootHttpRouterService>({
    id: 'core.rootHttpRouter',
    scope: 'root',
  }),
  rootLifecycle: createServiceRef<s.RootLifecycleService>({
    id: 'core.rootLifecycle',
    scope: 'root',
  }),
  rootLogger: createServiceRef<s.RootLoggerService>({ id: 'core.rootLogger', scope: 'root' }),
  scheduler: createServiceRef<s.SchedulerService>({ id: 'core.scheduler' }),
  urlReader: createServiceRef<s.UrlReaderService>({ id: 'core.urlReader' }),
  rootInstanceMetadata: createServiceRef<s.RootInstanceMetadataService>({
    id: 'core.rootInstanceMetadata',
    scope: 'root',
  }),
  rootSystemMetadata: createServiceRef<s.RootSystemMetadataService>({
    id: 'core.rootSystemMetadata',
    scope: 'root',
  }),
};

/** The type of {@link coreServices}. */
export type CoreServices = typeof coreServices;
