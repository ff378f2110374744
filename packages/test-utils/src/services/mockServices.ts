import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type {
  AuditorService,
  AuthService,
  AuthorizeResult,
  BackendFeatureMeta,
  BackstageCredentials,
  BackstageUserInfo,
  CacheService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  HttpRouterService,
  JsonObject,
  LifecycleService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  RootHealthService,
  RootHttpRouterService,
  RootInstanceMetadataService,
  RootLifecycleService,
  RootLoggerService,
  RootSystemMetadataService,
  SchedulerService,
  ServiceFactory,
  UrlReaderService,
  UserInfoService,
} from '@backplane/plugin-api';
import type { Knex } from 'knex';
import { auditorServiceFactory } from '@backplane/defaults/auditor';
import { cacheServiceFactory } from '@backplane/defaults/cache';
import { databaseServiceFactory } from '@backplane/defaults/database';
import { httpRouterServiceFactory } from '@backplane/defaults/httpRouter';
import { lifecycleServiceFactory } from '@backplane/defaults/lifecycle';
import { loggerServiceFactory } from '@backplane/defaults/logger';
import { permissionsServiceFactory } from '@backplane/defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backplane/defaults/permissionsRegistry';
import { rootHealthServiceFactory } from '@backplane/defaults/rootHealth';
import { rootHttpRouterServiceFactory } from '@backplane/defaults/rootHttpRouter';
import { rootLifecycleServiceFactory } from '@backplane/defaults/rootLifecycle';
import { urlReaderServiceFactory } from '@backplane/defaults/urlReader';
import { wrapRootHttpRouterFactory } from '../backend/wrapRootHttpRouterFactory';
import { MockAuthService } from '../credentials/MockAuthService';
import { MockHttpAuthService } from '../credentials/MockHttpAuthService';
import { createServiceMock } from './createServiceMock';
import { MockDiscoveryService } from './MockDiscoveryService';
import { eventsServiceRef, MockEventsService, type EventsService } from './MockEventsService';
import { MockRootConfig } from './MockRootConfig';
import { MockRootLoggerService, type MockLogLevel } from './MockRootLoggerService';
import { MockSchedulerService } from './MockSchedulerService';
import { MockUserInfoService } from './MockUserInfoService';
import {
  authFactory,
  createLifecycleMock,
  eventsFactory,
  fixedPermissions,
  httpAuthFactory,
  rootConfigFactory,
  rootInstanceMetadata,
  rootLoggerFactory,
  rootSystemMetadata,
  schedulerFactory,
  wrapKnex,
} from './mockServiceFactories';

type Factory<T> = ServiceFactory<T>;

const LOGGER_METHODS = ['error', 'warn', 'info', 'debug', 'child'] as const;
const LIFECYCLE_METHODS = ['addStartupHook', 'addShutdownHook'] as const;

/**
 * Mock and default implementations of every core service, for tests.
 *
 * Each entry has `.factory(options?)`, a service factory to pass to `startTestBackend` or
 * `ServiceFactoryTester`, and `.mock(partial?)`, an instance whose methods are mock functions
 * (see `createMockFn`) with a `.factory` of its own. Entries with a simple mock are also callable
 * and return a ready instance: `mockServices.rootConfig({ data })`, `mockServices.auth()`, …
 * `.factory()` of services without a mock (cache, httpRouter, lifecycle, …) is the real default.
 * Mocks of services the backend itself relies on keep working there: the lifecycle mocks run the
 * hooks they were given, and the metadata mocks list no plugins unless told otherwise.
 */
export const mockServices = {
  rootConfig: Object.assign((options?: { data?: JsonObject }) => new MockRootConfig(options), {
    factory: rootConfigFactory,
    mock: createServiceMock<RootConfigService>(coreServices.rootConfig, [
      'has',
      'keys',
      'get',
      'getOptional',
      'getConfig',
      'getOptionalConfig',
      'getConfigArray',
      'getOptionalConfigArray',
      'getNumber',
      'getOptionalNumber',
      'getBoolean',
      'getOptionalBoolean',
      'getString',
      'getOptionalString',
      'getStringArray',
      'getOptionalStringArray',
      'subscribe',
    ]),
  }),

  rootLogger: Object.assign(
    (options?: { level?: MockLogLevel }) => new MockRootLoggerService(options),
    {
      factory: rootLoggerFactory,
      mock: createServiceMock<RootLoggerService>(coreServices.rootLogger, LOGGER_METHODS, mock => ({
        child: () => mock,
      })),
    },
  ),

  logger: {
    factory: (): Factory<LoggerService> => loggerServiceFactory,
    mock: createServiceMock<LoggerService>(coreServices.logger, LOGGER_METHODS, mock => ({
      child: () => mock,
    })),
  },

  auditor: {
    factory: (): Factory<AuditorService> => auditorServiceFactory,
    mock: createServiceMock<AuditorService>(coreServices.auditor, ['createEvent']),
  },

  auth: Object.assign(
    (options?: { pluginId?: string; disableDefaultAuthPolicy?: boolean }) =>
      new MockAuthService({ ...options, pluginId: options?.pluginId ?? 'test' }),
    {
      factory: authFactory,
      mock: createServiceMock<AuthService>(coreServices.auth, [
        'authenticate',
        'isPrincipal',
        'getNoneCredentials',
        'getOwnServiceCredentials',
        'getPluginRequestToken',
        'getLimitedUserToken',
        'listPublicServiceKeys',
      ]),
    },
  ),

  httpAuth: Object.assign(
    (options?: { pluginId?: string; defaultCredentials?: BackstageCredentials }) =>
      new MockHttpAuthService({ ...options, pluginId: options?.pluginId ?? 'test' }),
    {
      factory: httpAuthFactory,
      mock: createServiceMock<HttpAuthService>(coreServices.httpAuth, [
        'credentials',
        'issueUserCookie',
      ]),
    },
  ),

  userInfo: Object.assign(
    (customInfo?: Partial<BackstageUserInfo>) => new MockUserInfoService(customInfo),
    {
      factory: (): Factory<UserInfoService> =>
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => new MockUserInfoService(),
        }),
      mock: createServiceMock<UserInfoService>(coreServices.userInfo, ['getUserInfo']),
    },
  ),

  discovery: Object.assign(() => new MockDiscoveryService(), {
    factory: (): Factory<DiscoveryService> =>
      createServiceFactory({
        service: coreServices.discovery,
        deps: {},
        factory: () => new MockDiscoveryService(),
      }),
    mock: createServiceMock<DiscoveryService>(coreServices.discovery, [
      'getBaseUrl',
      'getExternalBaseUrl',
    ]),
  }),

  cache: {
    factory: (): Factory<CacheService> => cacheServiceFactory,
    mock: createServiceMock<CacheService>(
      coreServices.cache,
      ['get', 'set', 'delete', 'withOptions'],
      mock => ({ withOptions: () => mock }),
    ),
  },

  database: Object.assign(wrapKnex, {
    /** The real default (SQLite in memory with an empty config), or the given Knex client. */
    factory: (options?: {
      knex: Knex;
      migrations?: { skip?: boolean };
    }): Factory<DatabaseService> =>
      options
        ? createServiceFactory({
            service: coreServices.database,
            deps: {},
            factory: () => wrapKnex(options),
          })
        : databaseServiceFactory,
    mock: createServiceMock<DatabaseService>(coreServices.database, ['getClient']),
  }),

  rootHealth: {
    factory: (): Factory<RootHealthService> => rootHealthServiceFactory,
    mock: createServiceMock<RootHealthService>(coreServices.rootHealth, [
      'getLiveness',
      'getReadiness',
    ]),
  },

  httpRouter: {
    factory: (): Factory<HttpRouterService> => httpRouterServiceFactory,
    mock: createServiceMock<HttpRouterService>(coreServices.httpRouter, [
      'use',
      'addAuthPolicy',
      'addWebSocketHandler',
    ]),
  },

  rootHttpRouter: {
    /**
     * The real default, listening on a free loopback port unless `backend.listen` is configured.
     */
    factory: (): Factory<RootHttpRouterService> =>
      wrapRootHttpRouterFactory(rootHttpRouterServiceFactory) as Factory<RootHttpRouterService>,
    mock: createServiceMock<RootHttpRouterService>(coreServices.rootHttpRouter, [
      'use',
      'addWebSocketHandler',
    ]),
  },

  lifecycle: {
    factory: (): Factory<LifecycleService> => lifecycleServiceFactory,
    mock: createLifecycleMock<LifecycleService>(coreServices.lifecycle, LIFECYCLE_METHODS, {
      startup: 'addStartupHook',
      shutdown: 'addShutdownHook',
    }),
  },

  rootLifecycle: {
    factory: (): Factory<RootLifecycleService> => rootLifecycleServiceFactory,
    mock: createLifecycleMock<RootLifecycleService>(
      coreServices.rootLifecycle,
      [...LIFECYCLE_METHODS, 'addBeforeShutdownHook'],
      {
        startup: 'addStartupHook',
        beforeShutdown: 'addBeforeShutdownHook',
        shutdown: 'addShutdownHook',
      },
    ),
  },

  permissions: Object.assign(
    (options?: { result: Exclude<AuthorizeResult, 'CONDITIONAL'> }) =>
      fixedPermissions(options?.result ?? 'ALLOW'),
    {
      /** The real default, or a service that answers every request with `result`. */
      factory: (options?: {
        result: Exclude<AuthorizeResult, 'CONDITIONAL'>;
      }): Factory<PermissionsService> =>
        options
          ? createServiceFactory({
              service: coreServices.permissions,
              deps: {},
              factory: () => fixedPermissions(options.result),
            })
          : permissionsServiceFactory,
      mock: createServiceMock<PermissionsService>(coreServices.permissions, [
        'authorize',
        'authorizeConditional',
      ]),
    },
  ),

  permissionsRegistry: {
    factory: (): Factory<PermissionsRegistryService> => permissionsRegistryServiceFactory,
    mock: createServiceMock<PermissionsRegistryService>(coreServices.permissionsRegistry, [
      'addPermissions',
      'addPermissionRules',
      'addResourceType',
      'getPermissionRuleset',
    ]),
  },

  scheduler: Object.assign(() => new MockSchedulerService(), {
    factory: schedulerFactory,
    mock: createServiceMock<SchedulerService>(coreServices.scheduler, [
      'triggerTask',
      'cancelTask',
      'scheduleTask',
      'createScheduledTaskRunner',
      'getScheduledTasks',
    ]),
  }),

  urlReader: {
    factory: (): Factory<UrlReaderService> => urlReaderServiceFactory,
    mock: createServiceMock<UrlReaderService>(coreServices.urlReader, [
      'readUrl',
      'readTree',
      'search',
    ]),
  },

  rootInstanceMetadata: Object.assign(rootInstanceMetadata, {
    factory: (options?: {
      instanceId?: string;
      plugins?: BackendFeatureMeta[];
    }): Factory<RootInstanceMetadataService> =>
      createServiceFactory({
        service: coreServices.rootInstanceMetadata,
        deps: {},
        factory: () => rootInstanceMetadata(options),
      }),
    mock: createServiceMock<RootInstanceMetadataService>(
      coreServices.rootInstanceMetadata,
      ['getId', 'getInstalledPlugins'],
      () => ({ getInstalledPlugins: async () => [] }),
    ),
  }),

  rootSystemMetadata: Object.assign(rootSystemMetadata, {
    factory: (options?: { plugins?: BackendFeatureMeta[] }): Factory<RootSystemMetadataService> =>
      createServiceFactory({
        service: coreServices.rootSystemMetadata,
        deps: {},
        factory: () => rootSystemMetadata(options),
      }),
    mock: createServiceMock<RootSystemMetadataService>(
      coreServices.rootSystemMetadata,
      ['getInstalledPlugins'],
      () => ({ getInstalledPlugins: async () => [] }),
    ),
  }),

  events: Object.assign(() => new MockEventsService(), {
    factory: eventsFactory,
    mock: createServiceMock<EventsService>(eventsServiceRef, ['publish', 'subscribe']),
  }),
};
