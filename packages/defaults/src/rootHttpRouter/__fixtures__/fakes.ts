/*
 * Hand-made fakes of the services the HTTP pipeline depends on, so its tests do not depend on the
 * other default implementations.
 */
import type { AddressInfo } from 'node:net';
import type {
  AuthService,
  BackstageCredentials,
  Config,
  HttpAuthService,
  HttpRouterService,
  LoggerService,
  RootHealthService,
  RootInstanceMetadataService,
  RootLifecycleService,
  ServiceFactory,
} from '@backplane/plugin-api';
import { AuthenticationError, NotAllowedError } from '@backplane/plugin-api';
import { rootHttpRouterServiceFactory } from '../rootHttpRouterServiceFactory';
import type {
  ListeningRootHttpRouterService,
  RootHttpRouterFactoryOptions,
} from '../rootHttpRouterServiceFactory';
import { httpRouterServiceFactory } from '../../httpRouter/httpRouterServiceFactory';

type Json = unknown;

/** A Config over a plain object. */
export function createFakeConfig(data: Record<string, Json> = {}): Config {
  const lookup = (key?: string): Json => {
    if (!key) return data;
    let current: Json = data;
    for (const part of key.split('.')) {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) {
        return undefined;
      }
      current = (current as Record<string, Json>)[part];
    }
    return current;
  };
  const typed = <T>(key: string, check: (v: Json) => boolean, type: string): T | undefined => {
    const value = lookup(key);
    if (value === undefined) return undefined;
    if (!check(value)) throw new Error(`Invalid type in config for key '${key}', expected ${type}`);
    return value as T;
  };
  const required = <T>(key: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`Missing required config value at '${key}'`);
    return value;
  };
  const isObject = (v: Json) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const config: Config = {
    has: key => lookup(key) !== undefined,
    keys: () => Object.keys(data),
    get: <T>(key?: string) => required(key ?? '', lookup(key) as T | undefined),
    getOptional: <T>(key?: string) => lookup(key) as T | undefined,
    getConfig: key => required(key, config.getOptionalConfig(key)),
    getOptionalConfig: key => {
      const value = typed<Record<string, Json>>(key, isObject, 'object');
      return value === undefined ? undefined : createFakeConfig(value);
    },
    getConfigArray: key => required(key, config.getOptionalConfigArray(key)),
    getOptionalConfigArray: key =>
      typed<Record<string, Json>[]>(key, Array.isArray, 'array')?.map(v => createFakeConfig(v)),
    getNumber: key => required(key, config.getOptionalNumber(key)),
    getOptionalNumber: key => typed<number>(key, v => typeof v === 'number', 'number'),
    getBoolean: key => required(key, config.getOptionalBoolean(key)),
    getOptionalBoolean: key => typed<boolean>(key, v => typeof v === 'boolean', 'boolean'),
    getString: key => required(key, config.getOptionalString(key)),
    getOptionalString: key => typed<string>(key, v => typeof v === 'string', 'string'),
    getStringArray: key => required(key, config.getOptionalStringArray(key)),
    getOptionalStringArray: key => typed<string[]>(key, Array.isArray, 'string array'),
  };
  return config;
}

/** One recorded log call. */
export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: unknown;
  fields: Record<string, unknown>;
}

/** A logger that records every call, children included. */
export function createFakeLogger(
  entries: LogEntry[] = [],
  fields: Record<string, unknown> = {},
): LoggerService & { entries: LogEntry[] } {
  const log = (level: LogEntry['level']) => (message: string, meta?: unknown) => {
    entries.push({ level, message, meta, fields });
  };
  return {
    entries,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => createFakeLogger(entries, { ...fields, ...meta }),
  };
}

type Hook = () => void | Promise<void>;

async function runHooks(hooks: Hook[]): Promise<void> {
  for (const hook of hooks) {
    await hook();
  }
}

/** A root lifecycle with the runtime's non-public drive methods. */
export function createFakeRootLifecycle() {
  const startup: Hook[] = [];
  const beforeShutdown: Hook[] = [];
  const shutdown: Hook[] = [];
  const service: RootLifecycleService = {
    addStartupHook: hook => void startup.push(hook),
    addShutdownHook: hook => void shutdown.push(hook),
    addBeforeShutdownHook: hook => void beforeShutdown.push(hook),
  };
  return Object.assign(service, {
    startup: () => runHooks(startup),
    beforeShutdown: () => runHooks(beforeShutdown),
    shutdown: () => runHooks(shutdown),
  });
}

/** A plugin lifecycle with the runtime's non-public drive methods. */
export function createFakeLifecycle() {
  const startup: Hook[] = [];
  const shutdown: Hook[] = [];
  return {
    addStartupHook: (hook: Hook) => void startup.push(hook),
    addShutdownHook: (hook: Hook) => void shutdown.push(hook),
    startup: () => runHooks(startup),
    shutdown: () => runHooks(shutdown),
  };
}

/** A root health service whose readiness the test sets. */
export function createFakeRootHealth() {
  const state = { ready: false };
  const health: RootHealthService = {
    getLiveness: async () => ({ status: 200, payload: { status: 'ok' } }),
    getReadiness: async () =>
      state.ready
        ? { status: 200, payload: { status: 'ok' } }
        : { status: 503, payload: { message: 'Backend has not started yet', status: 'error' } },
  };
  return Object.assign(health, { state });
}

function credentials(principal: unknown): BackstageCredentials {
  return { $$type: '@backstage/BackstageCredentials', principal };
}

/** Tokens the fake httpAuth accepts. */
export const tokens = {
  user: 'Bearer user-token',
  service: 'Bearer service-token',
  /** A limited-access cookie, accepted only with `allowLimitedAccess`. */
  cookie: 'backstage-auth=limited-user',
};

/**
 * An httpAuth that knows `tokens`: no or an unknown token → AuthenticationError; a principal type
 * outside `allow`, or a cookie without `allowLimitedAccess` → NotAllowedError. Calls are recorded.
 */
export function createFakeHttpAuth() {
  const calls: Array<{ url: string; allow?: string[]; allowLimitedAccess?: boolean }> = [];
  const cookies: Array<{ type: string }> = [];
  const httpAuth: HttpAuthService = {
    async credentials(req, options) {
      calls.push({
        url: req.url,
        allow: options?.allow as string[] | undefined,
        allowLimitedAccess: options?.allowLimitedAccess,
      });
      const header = req.headers.authorization;
      let result: BackstageCredentials;
      if (header === tokens.user) {
        result = credentials({ type: 'user', userEntityRef: 'user:default/alice' });
      } else if (header === tokens.service) {
        result = credentials({ type: 'service', subject: 'plugin:other' });
      } else if (header === undefined && req.headers.cookie === tokens.cookie) {
        if (!options?.allowLimitedAccess) {
          throw new NotAllowedError('Limited access token is not allowed');
        }
        result = credentials({ type: 'user', userEntityRef: 'user:default/alice' });
      } else if (header === undefined) {
        throw new AuthenticationError('Missing credentials');
      } else {
        throw new AuthenticationError('Illegal token');
      }
      const type = (result.principal as { type: string }).type;
      const allow = options?.allow as string[] | undefined;
      if (allow && !allow.includes(type)) {
        throw new NotAllowedError(`This endpoint does not allow '${type}' credentials`);
      }
      return result as any;
    },
    async issueUserCookie(res, options) {
      const type = (options?.credentials?.principal as { type: string } | undefined)?.type ?? '';
      cookies.push({ type });
      res.setHeader(
        'Set-Cookie',
        type === 'none' ? 'backstage-auth=; Max-Age=0' : 'backstage-auth=limited-user',
      );
      return { expiresAt: new Date('2030-01-01T00:00:00.000Z') };
    },
  };
  return Object.assign(httpAuth, { calls, cookies });
}

/** An auth service with fixed JWKS keys. */
export function createFakeAuth(): AuthService {
  return {
    authenticate: async () => credentials({ type: 'none' }),
    isPrincipal: ((creds: BackstageCredentials, type: string) =>
      type === 'unknown' || (creds.principal as { type: string }).type === type) as any,
    getNoneCredentials: async () => credentials({ type: 'none' }) as any,
    getOwnServiceCredentials: async () =>
      credentials({ type: 'service', subject: 'plugin:x' }) as any,
    getPluginRequestToken: async () => ({ token: 'token' }),
    getLimitedUserToken: async () => ({ token: 'limited', expiresAt: new Date() }),
    listPublicServiceKeys: async () => ({ keys: [{ kid: 'key-1', kty: 'EC' }] }),
  };
}

/** Calls a service factory's `factory` with the given dependencies. */
export async function instantiate<T>(factory: ServiceFactory<T>, deps: Record<string, unknown>) {
  return (await (factory as any).factory(deps, undefined)) as T;
}

/** Instance metadata listing the given plugins as installed. */
export function createFakeInstanceMetadata(pluginIds: string[] = []): RootInstanceMetadataService {
  const plugins = pluginIds.map(pluginId => ({ pluginId, modules: [] }));
  return { getId: () => 'test-instance', getInstalledPlugins: async () => plugins };
}

/** A running root HTTP router on a free loopback port, with fake dependencies. */
export async function startRootRouter(
  options: {
    config?: Record<string, Json>;
    factoryOptions?: RootHttpRouterFactoryOptions;
    /** Plugin ids that core.rootInstanceMetadata lists as installed; none by default. */
    installedPlugins?: string[];
  } = {},
) {
  const config = createFakeConfig({
    ...options.config,
    backend: {
      listen: { host: '127.0.0.1', port: 0 },
      ...((options.config?.backend as object) ?? {}),
    },
  });
  const logger = createFakeLogger();
  const lifecycle = createFakeRootLifecycle();
  const health = createFakeRootHealth();
  const factory = options.factoryOptions
    ? rootHttpRouterServiceFactory(options.factoryOptions)
    : rootHttpRouterServiceFactory;
  const router = (await instantiate(factory, {
    config,
    logger,
    lifecycle,
    health,
    instanceMetadata: createFakeInstanceMetadata(options.installedPlugins),
  })) as ListeningRootHttpRouterService;
  const { port } = router.server.address() as AddressInfo;
  return {
    router,
    config,
    logger,
    lifecycle,
    health,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await lifecycle.beforeShutdown();
    },
  };
}

/** Adds a plugin's httpRouter to a running root router, with fake auth. */
export async function addPlugin(
  root: Awaited<ReturnType<typeof startRootRouter>>,
  pluginId: string,
  options: { config?: Record<string, Json>; started?: boolean } = {},
) {
  const lifecycle = createFakeLifecycle();
  const httpAuth = createFakeHttpAuth();
  const auth = createFakeAuth();
  const logger = createFakeLogger([], { plugin: pluginId });
  const httpRouter = (await instantiate(httpRouterServiceFactory, {
    plugin: { getId: () => pluginId },
    config: options.config ? createFakeConfig(options.config) : root.config,
    lifecycle,
    rootLifecycle: root.lifecycle,
    rootHttpRouter: root.router,
    auth,
    httpAuth,
    logger,
  })) as Required<HttpRouterService>;
  if (options.started ?? true) {
    await lifecycle.startup();
  }
  return { httpRouter, lifecycle, httpAuth, auth, logger };
}
