import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type {
  AuthService,
  BackendFeature,
  DatabaseService,
  HttpAuthService,
  HttpRouterService,
  HttpRouterServiceAuthPolicy,
  JsonObject,
} from '@backplane/plugin-api';
import { AuthPolicyMatcher } from '../../httpRouter/AuthPolicyMatcher';
import { createPluginRequestHandler } from '../../httpRouter/createPluginRequestHandler';
import { LifecycleGate } from '../../httpRouter/LifecycleGate';
import { createErrorHandler } from '../../rootHttpRouter/errorResponse';
import { DefaultHttpAuthService } from '../../httpAuth/DefaultHttpAuthService';
import { DefaultUserInfoService } from '../../userInfo/DefaultUserInfoService';
import { DefaultPermissionsService } from '../../permissions/DefaultPermissionsService';
import { JwksCache } from '../JwksCache';
import type { TestKey } from './keys';
import {
  createTestAuth,
  createTestConfig,
  createTestDatabase,
  createTestDiscovery,
  createTestLogger,
} from './services';

/** The services of one hosted plugin. */
export interface TestPlugin {
  pluginId: string;
  auth: AuthService;
  httpAuth: HttpAuthService;
  router: express.Router;
  database: DatabaseService;
}

/**
 * A small backend for auth tests: one HTTP server, plugins mounted at `/api/<pluginId>` through
 * the real plugin request handler of `httpRouter` (JWKS endpoint, credentials barrier with auth
 * policies, cookie endpoints), the real auth and httpAuth services, and "fake" plugins that only
 * publish a JWKS whose private key the test holds, for forging tokens.
 */
export class TestBackend {
  readonly app = express();
  readonly server: Server;
  readonly config: ReturnType<typeof createTestConfig>;
  readonly discovery;
  readonly jwks = new JwksCache();
  readonly logs: Array<{ level: string; message: string; meta?: unknown }> = [];
  readonly plugins = new Map<string, TestPlugin>();
  readonly #ownedDatabases: Array<{ knex: { destroy(): Promise<void> } }> = [];
  #baseUrl = '';

  private constructor(config: JsonObject) {
    this.config = createTestConfig(config);
    this.discovery = createTestDiscovery(() => this.#baseUrl);
    this.server = createServer(this.app);
  }

  static async start(options: { config?: JsonObject } = {}): Promise<TestBackend> {
    const backend = new TestBackend(options.config ?? {});
    await new Promise<void>(resolve => backend.server.listen(0, '127.0.0.1', resolve));
    const { port } = backend.server.address() as AddressInfo;
    backend.#baseUrl = `http://127.0.0.1:${port}`;
    return backend;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Publishes `keys` as the JWKS of a plugin (`auth` uses the user-token JWKS path). */
  addKeyPublisher(pluginId: string, keys: TestKey[]): void {
    const path = pluginId === 'auth' ? '/.well-known/jwks.json' : '/.backstage/auth/v1/jwks.json';
    this.app.get(`/api/${pluginId}${path}`, (_req, res) => {
      res.json({ keys: keys.map(key => key.publicJwk) });
    });
  }

  /** Hosts a plugin with the real auth services; `setup` adds routes and policies. */
  async addPlugin(
    pluginId: string,
    setup: (
      plugin: TestPlugin & { addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void },
    ) => void,
    options: { database?: DatabaseService } = {},
  ): Promise<TestPlugin> {
    let database = options.database;
    if (!database) {
      const created = createTestDatabase();
      this.#ownedDatabases.push(created);
      database = created;
    }
    const auth = await createTestAuth({
      pluginId,
      discovery: this.discovery,
      config: this.config,
      database,
      logger: createTestLogger(this.logs),
      jwks: this.jwks,
    });
    const httpAuth = new DefaultHttpAuthService({ auth, discovery: this.discovery, pluginId });
    const router = express.Router();
    const policies = new AuthPolicyMatcher(pluginId);
    const gate = new LifecycleGate({ pluginId, timeoutMs: 1000 });
    gate.markStarted();
    const barrier =
      this.config.getOptionalBoolean('backend.auth.dangerouslyDisableDefaultAuthPolicy') !== true;
    this.app.use(
      `/api/${pluginId}`,
      createPluginRequestHandler({ pluginId, router, gate, policies, auth, httpAuth, barrier }),
      createErrorHandler(),
    );
    const plugin: TestPlugin = { pluginId, auth, httpAuth, router, database };
    setup({ ...plugin, addAuthPolicy: policy => policies.add(policy) });
    this.plugins.set(pluginId, plugin);
    return plugin;
  }

  /**
   * Hosts a plugin feature (as `createBackendPlugin` returns it): runs its init with core services
   * resolved by id. Supports httpRouter, logger, rootConfig, database, discovery, auth, httpAuth,
   * userInfo, permissions and lifecycle (hooks run at once).
   */
  async addFeature(
    feature: BackendFeature,
    options: { database?: DatabaseService } = {},
  ): Promise<TestPlugin> {
    const [registration] = (
      feature as unknown as {
        getRegistrations(): Array<{
          pluginId: string;
          init: { deps: Record<string, { id: string }>; func(deps: object): Promise<void> };
        }>;
      }
    ).getRegistrations();
    let plugin!: TestPlugin;
    let addPolicy!: (policy: HttpRouterServiceAuthPolicy) => void;
    await this.addPlugin(
      registration.pluginId,
      p => {
        plugin = p;
        addPolicy = p.addAuthPolicy;
      },
      options,
    );
    const httpRouter: HttpRouterService = {
      use: handler => plugin.router.use(handler),
      addAuthPolicy: policy => addPolicy(policy),
    };
    const services: Record<string, unknown> = {
      'core.httpRouter': httpRouter,
      'core.logger': createTestLogger(this.logs),
      'core.rootConfig': this.config,
      'core.database': plugin.database,
      'core.discovery': this.discovery,
      'core.auth': plugin.auth,
      'core.httpAuth': plugin.httpAuth,
      'core.userInfo': new DefaultUserInfoService({ discovery: this.discovery }),
      'core.permissions': new DefaultPermissionsService({
        auth: plugin.auth,
        discovery: this.discovery,
        enabled: this.config.getOptionalBoolean('permission.enabled') ?? false,
      }),
      'core.lifecycle': { addStartupHook: (hook: () => void) => hook(), addShutdownHook() {} },
    };
    const deps = Object.fromEntries(
      Object.entries(registration.init.deps).map(([name, ref]) => {
        if (!(ref.id in services)) {
          throw new Error(`TestBackend cannot provide '${ref.id}' to plugin '${plugin.pluginId}'`);
        }
        return [name, services[ref.id]];
      }),
    );
    await registration.init.func(deps);
    return plugin;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    for (const database of this.#ownedDatabases) {
      await database.knex.destroy();
    }
  }
}
