import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type {
  AuthService,
  AuthorizeResult,
  BackendFeatureMeta,
  BackstageCredentials,
  DatabaseService,
  HttpAuthService,
  JsonObject,
  PermissionsService,
  RootConfigService,
  RootInstanceMetadataService,
  RootLoggerService,
  RootSystemMetadataService,
  SchedulerService,
  ServiceFactory,
  ServiceRef,
} from '@backplane/plugin-api';
import type { Knex } from 'knex';
import { createServiceMock, type ServiceMock } from './createServiceMock';
import { MockAuthService } from '../credentials/MockAuthService';
import { MockHttpAuthService } from '../credentials/MockHttpAuthService';
import { MockEventsService, eventsServiceRef, type EventsService } from './MockEventsService';
import { MockRootConfig } from './MockRootConfig';
import { MockRootLoggerService, type MockLogLevel } from './MockRootLoggerService';
import { MockSchedulerService, type MockSchedulerOptions } from './MockSchedulerService';

// The service factories and small instances behind `mockServices`.

type Factory<T> = ServiceFactory<T>;

/** A permissions service that answers every request with `result`. */
export function fixedPermissions(
  result: Exclude<AuthorizeResult, 'CONDITIONAL'>,
): PermissionsService {
  return {
    authorize: async requests => requests.map(() => ({ result })),
    authorizeConditional: async requests => requests.map(() => ({ result })),
  };
}

/** A DatabaseService over a Knex client the test already has. */
export function wrapKnex(options: {
  knex: Knex;
  migrations?: { skip?: boolean };
}): DatabaseService {
  return { getClient: async () => options.knex, migrations: options.migrations };
}

/** The factory of `mockServices.rootConfig`: a {@link MockRootConfig} with `data`. */
export function rootConfigFactory(options?: { data?: JsonObject }): Factory<RootConfigService> {
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => new MockRootConfig(options),
  });
}

/**
 * The factory of `mockServices.rootLogger`: silent unless `level` or `LOG_LEVEL` says otherwise.
 */
export function rootLoggerFactory(options?: { level?: MockLogLevel }): Factory<RootLoggerService> {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => new MockRootLoggerService(options),
  });
}

/**
 * The factory of `mockServices.auth`, honouring `backend.auth.dangerouslyDisableDefaultAuthPolicy`.
 */
export function authFactory(): Factory<AuthService> {
  return createServiceFactory({
    service: coreServices.auth,
    deps: { pluginMetadata: coreServices.pluginMetadata, config: coreServices.rootConfig },
    factory: ({ pluginMetadata, config }) =>
      new MockAuthService({
        pluginId: pluginMetadata.getId(),
        disableDefaultAuthPolicy:
          config.getOptionalBoolean('backend.auth.dangerouslyDisableDefaultAuthPolicy') ?? false,
      }),
  });
}

/**
 * The factory of `mockServices.httpAuth`; bare requests get `defaultCredentials` (none by default).
 */
export function httpAuthFactory(options?: {
  defaultCredentials?: BackstageCredentials;
}): Factory<HttpAuthService> {
  return createServiceFactory({
    service: coreServices.httpAuth,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    factory: ({ pluginMetadata }) =>
      new MockHttpAuthService({
        pluginId: pluginMetadata.getId(),
        defaultCredentials: options?.defaultCredentials,
      }),
  });
}

/**
 * The factory of `mockServices.scheduler`: tasks run once after their plugin started; aborted on
 * stop.
 */
export function schedulerFactory(options?: MockSchedulerOptions): Factory<SchedulerService> {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: { lifecycle: coreServices.lifecycle, logger: coreServices.logger },
    factory: ({ lifecycle, logger }) => {
      const scheduler = new MockSchedulerService({ logger });
      lifecycle.addStartupHook(() => scheduler.runStartupTasks(options));
      lifecycle.addShutdownHook(() => scheduler.shutdown());
      return scheduler;
    },
  });
}

/** The factory of `mockServices.events`: one in-process bus shared by every plugin of a backend. */
export function eventsFactory(): Factory<EventsService> {
  return createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    createRootContext: () => new MockEventsService(),
    factory: (_deps, bus: MockEventsService) => bus,
  });
}

/** Fixed instance metadata: id `test-instance` unless given, and the given plugins. */
export function rootInstanceMetadata(
  options: { instanceId?: string; plugins?: BackendFeatureMeta[] } = {},
): RootInstanceMetadataService {
  const plugins = Object.freeze([...(options.plugins ?? [])]);
  return {
    getId: () => options.instanceId ?? 'test-instance',
    getInstalledPlugins: async () => plugins,
  };
}

/** Fixed system metadata listing the given plugins. */
export function rootSystemMetadata(
  options: { plugins?: BackendFeatureMeta[] } = {},
): RootSystemMetadataService {
  const plugins = Object.freeze([...(options.plugins ?? [])]);
  return { getInstalledPlugins: async () => plugins };
}

/**
 * The `.mock` of a lifecycle service. Its `add…Hook` methods are mock functions that also keep
 * the hook, and it has the methods the backend drives a lifecycle with (`drivers`: `startup` →
 * `addStartupHook`, …), each running the hooks kept since its last call, in order; so a backend
 * given the mock still starts and stops its plugins' hooks (the HTTP router waits for them).
 */
export function createLifecycleMock<TService>(
  ref: ServiceRef<TService, any, any>,
  methods: ReadonlyArray<keyof TService & string>,
  drivers: Record<string, keyof TService & string>,
): (partial?: Partial<TService>) => ServiceMock<TService> {
  return partial => {
    const kept = new Map<string, Array<() => unknown>>(
      Object.values(drivers).map(method => [method, []]),
    );
    const keep = (method: string) => (hook: () => unknown) => void kept.get(method)!.push(hook);
    const defaults = Object.fromEntries(Object.values(drivers).map(m => [m, keep(m)]));
    const mock = createServiceMock(ref, methods, () => defaults as Partial<TService>)(partial);
    for (const [driver, method] of Object.entries(drivers)) {
      const hooks = kept.get(method)!;
      Object.defineProperty(mock, driver, {
        enumerable: false,
        value: async () => {
          for (let hook = hooks.shift(); hook; hook = hooks.shift()) {
            await hook();
          }
        },
      });
    }
    return mock;
  };
}
