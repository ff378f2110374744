import express from 'express';
import type { Handler } from 'express';
import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type {
  AuthService,
  HttpAuthService,
  HttpRouterService,
  HttpRouterServiceWebSocketHandler,
  RootHttpRouterService,
} from '@backplane/plugin-api';
import { AuthPolicyMatcher } from './AuthPolicyMatcher';
import { LifecycleGate } from './LifecycleGate';
import { createPluginRequestHandler } from './createPluginRequestHandler';

/**
 * The default `core.httpRouter` factory: one router per plugin, mounted at `/api/<pluginId>` on
 * the root HTTP router, with the public JWKS endpoint, the startup gate
 * (`backend.lifecycle.startupRequestPauseTimeout`, default 5s; 503 at once when the plugin failed
 * to start), the credentials barrier and its auth policies, and the user cookie endpoints in front
 * of the plugin's handlers.
 */
export const httpRouterServiceFactory = createServiceFactory({
  service: coreServices.httpRouter,
  initialization: 'always',
  deps: {
    plugin: coreServices.pluginMetadata,
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    rootLifecycle: coreServices.rootLifecycle,
    rootHttpRouter: coreServices.rootHttpRouter,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    logger: coreServices.logger,
  },
  factory({
    plugin,
    config,
    lifecycle,
    rootLifecycle,
    rootHttpRouter,
    auth,
    httpAuth,
    logger,
  }): HttpRouterService {
    const pluginId = plugin.getId();
    const timeoutMs = LifecycleGate.readTimeoutMs(config);
    const barrier =
      config.getOptionalBoolean('backend.auth.dangerouslyDisableDefaultAuthPolicy') !== true;
    if (!barrier) {
      logger.warn('The default auth policy is disabled; every route of the plugin is open', {
        configKey: 'backend.auth.dangerouslyDisableDefaultAuthPolicy',
      });
    }

    const gate = new LifecycleGate({ pluginId, timeoutMs });
    lifecycle.addStartupHook(() => gate.markStarted(), { logger });
    lifecycle.addShutdownHook(() => gate.markStopping(), { logger });
    // The root startup hooks run once every plugin started or failed: a plugin not started by
    // then failed (its startup hooks never ran), and waiting for it would only delay the 503.
    rootLifecycle.addStartupHook(() => gate.markFailed(), { logger });

    const router = express.Router();
    const policies = new AuthPolicyMatcher(pluginId);
    const basePath = `/api/${pluginId}`;
    rootHttpRouter.use(
      basePath,
      createPluginRequestHandler({ pluginId, router, gate, policies, auth, httpAuth, barrier }),
    );

    return {
      use(handler: Handler) {
        if (typeof handler !== 'function') {
          throw new TypeError(
            `httpRouter.use() of plugin '${pluginId}': the handler must be a function such as an Express router, got ${typeof handler}.`,
          );
        }
        router.use(handler);
      },
      addAuthPolicy(policy) {
        policies.add(policy);
      },
      addWebSocketHandler(options) {
        addPluginWebSocketHandler({
          options,
          pluginId,
          basePath,
          rootHttpRouter,
          gate,
          auth,
          httpAuth,
          barrier,
        });
      },
    };
  },
});

function addPluginWebSocketHandler(context: {
  options: HttpRouterServiceWebSocketHandler;
  pluginId: string;
  basePath: string;
  rootHttpRouter: RootHttpRouterService;
  gate: LifecycleGate;
  auth: AuthService;
  httpAuth: HttpAuthService;
  barrier: boolean;
}): void {
  const { options, pluginId, basePath, rootHttpRouter, gate, auth, httpAuth, barrier } = context;
  const { path, handler, authPolicy } = options ?? ({} as HttpRouterServiceWebSocketHandler);
  const where = `addWebSocketHandler({ path: ${JSON.stringify(path)} }) of plugin '${pluginId}'`;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(
      `${where}: the path must start with '/' and be relative to the plugin ('/' for its base URL).`,
    );
  }
  if (typeof handler !== 'function') {
    throw new TypeError(`${where}: the handler must be a function.`);
  }
  if (authPolicy !== undefined && authPolicy !== 'unauthenticated') {
    throw new TypeError(
      `${where}: 'authPolicy' is ${JSON.stringify(authPolicy)}; leave it out, or set 'unauthenticated'.`,
    );
  }
  if (!rootHttpRouter.addWebSocketHandler) {
    throw new Error(
      `${where}: the root HTTP router in use has no addWebSocketHandler(); use the default rootHttpRouter factory.`,
    );
  }
  const open = authPolicy === 'unauthenticated' || !barrier;
  rootHttpRouter.addWebSocketHandler({
    path: path === '/' ? basePath : basePath + path,
    async handler({ request, socket, head }) {
      if (!gate.isOpen) {
        await gate.wait();
      }
      const credentials = open
        ? await auth.getNoneCredentials()
        : await httpAuth.credentials(request as any, { allow: ['user', 'service'] });
      await handler({ request, socket, head, credentials });
    },
  });
}
