import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type {
  LoggerService,
  RootConfigService,
  RootHttpRouterService,
  RootHttpRouterServiceWebSocketHandler,
  RootInstanceMetadataService,
  RootLifecycleService,
  ServiceFactory,
} from '@backplane/plugin-api';
import { LifecycleGate } from '../httpRouter/LifecycleGate';
import { DefaultRootHttpRouter } from './DefaultRootHttpRouter';
import { createExpressCompat } from './createExpressCompat';
import { createHealthHandler, readHealthHeaders } from './createHealthHandler';
import { createHttpServer, listenHttpServer, stopHttpServer } from './createHttpServer';
import {
  createErrorHandler,
  createNotFoundHandler,
  sendErrorResponse,
  sendNotFound,
} from './errorResponse';
import type { ErrorResponseOptions } from './errorResponse';
import { readDurationMs } from './readDuration';
import { readCorsOptions } from './readCorsOptions';
import { readHttpServerOptions } from './readHttpServerOptions';
import { readSecurityHeaders } from './readSecurityHeaders';

/** The root HTTP router of the default factory, with the server it listens on. */
export interface ListeningRootHttpRouterService extends RootHttpRouterService {
  /** The listening server; `server.address().port` is the bound port (useful with port 0). */
  readonly server: Server;
  addWebSocketHandler(options: RootHttpRouterServiceWebSocketHandler): void;
}

/** Middleware built from config, for {@link RootHttpRouterConfigureContext}. */
export interface RootHttpRouterMiddleware {
  /** The security headers (helmet's, adjusted by `backend.csp` and `backend.referrer`). */
  helmet(): RequestHandler;
  /** CORS from `backend.cors`; does nothing when `backend.cors` is not set. */
  cors(): RequestHandler;
  /** 404: the standard JSON error body under `/api/`, an empty body elsewhere. */
  notFound(): RequestHandler;
  /** The standard JSON error body for errors. */
  error(): ErrorRequestHandler;
}

/** What a `configure` callback gets to assemble the root request pipeline itself. */
export interface RootHttpRouterConfigureContext {
  /** The Express application that serves every request when `configure` is given. */
  app: Express;
  server: Server;
  /** Health endpoints (`/.backstage/health/v1/liveness` and `/readiness`). */
  healthRouter: RequestHandler;
  /** Every path registered with `use()`, including the plugin routers. */
  routes: RequestHandler;
  middleware: RootHttpRouterMiddleware;
  config: RootConfigService;
  logger: LoggerService;
  lifecycle: RootLifecycleService;
  /** Adds the default pipeline: helmet, cors, health, routes, not found, errors. */
  applyDefaults(): void;
}

/** Options for {@link rootHttpRouterServiceFactory}. */
export interface RootHttpRouterFactoryOptions {
  /**
   * Assemble the pipeline on an Express application instead of the built-in one, for custom
   * root middleware. Call `applyDefaults()` or add the parts yourself.
   */
  configure?(context: RootHttpRouterConfigureContext): void;
  /** See {@link DefaultRootHttpRouterOptions.indexPath}; default `'/api/app'`. */
  indexPath?: string | false;
  /** Put `error.stack` in error bodies. Off by default; for local development only. */
  showStackTraces?: boolean;
}

function createRootHttpRouterFactory(
  options: RootHttpRouterFactoryOptions = {},
): ServiceFactory<RootHttpRouterService, 'root', 'singleton'> {
  return createServiceFactory({
    service: coreServices.rootHttpRouter,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      lifecycle: coreServices.rootLifecycle,
      health: coreServices.rootHealth,
      instanceMetadata: coreServices.rootInstanceMetadata,
    },
    async factory({
      config,
      logger,
      lifecycle,
      health,
      instanceMetadata,
    }): Promise<ListeningRootHttpRouterService> {
      // Read every setting first, so a config mistake fails before anything listens.
      const serverOptions = readHttpServerOptions(config);
      const corsOptions = readCorsOptions(config);
      const securityHeaders = readSecurityHeaders(config);
      const healthHeaders = readHealthHeaders(config);
      const shutdownDelayMs = readDurationMs(config, 'backend.lifecycle.serverShutdownDelay', 0);
      const shutdownTimeoutMs = readDurationMs(
        config,
        'backend.lifecycle.serverShutdownTimeout',
        10_000,
      );
      const trustProxy = config.getOptional('backend.trustProxy');
      const startupPauseMs = LifecycleGate.readTimeoutMs(config);

      const compat = createExpressCompat();
      if (trustProxy !== undefined) {
        compat.app.set('trust proxy', trustProxy);
      }
      const router = DefaultRootHttpRouter.create({ indexPath: options.indexPath });
      await expectInstalledPlugins({ router, instanceMetadata, timeoutMs: startupPauseMs, logger });
      lifecycle.addStartupHook(() => router.markStarted(), { logger });
      const errorOptions: ErrorResponseOptions = {
        logger,
        showStackTraces: options.showStackTraces ?? false,
      };
      const healthHandler = createHealthHandler({ health, headers: healthHeaders });
      // The CORS library loads only when 'backend.cors' is set.
      const corsHandler = corsOptions
        ? (require('cors') as typeof import('cors'))(corsOptions)
        : undefined;
      const server = createHttpServer(serverOptions, compat);

      // The request pipeline: the built-in one, or the Express app that `configure` assembles.
      let closing = false;
      const pipeline = options.configure
        ? configurePipeline()
        : createPipeline({ router, healthHandler, corsHandler, securityHeaders, errorOptions });
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (closing) {
          res.setHeader('Connection', 'close');
        }
        pipeline(req, res);
      });

      // WebSocket upgrades are listened for only once a handler exists, so that without one an
      // `Upgrade` header (such as h2c) leaves a request an ordinary request.
      const upgraded = new Set<Duplex>();
      router.onWebSocketHandlerAdded(() => {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          upgraded.add(socket);
          socket.once('close', () => upgraded.delete(socket));
          router.handleUpgrade(req, socket, head);
        });
      });

      lifecycle.addBeforeShutdownHook(
        () =>
          stopHttpServer(server, {
            delayMs: shutdownDelayMs,
            timeoutMs: shutdownTimeoutMs,
            logger,
            onClosing() {
              closing = true;
              router.markStopping();
              for (const socket of upgraded) {
                socket.destroy();
              }
            },
          }),
        { logger },
      );

      const address = await listenHttpServer(server, serverOptions.listen);
      const scheme = serverOptions.https ? 'https' : 'http';
      logger.info('Listening for HTTP requests', {
        url: `${scheme}://${urlHost(serverOptions.listen.host)}:${address.port}`,
        port: address.port,
      });

      return {
        server,
        use: (path, handler) => router.use(path, handler),
        addWebSocketHandler: handler => router.addWebSocketHandler(handler),
      };

      function configurePipeline() {
        const { app } = compat;
        const middleware: RootHttpRouterMiddleware = {
          helmet: () => (_req, res, next) => {
            setHeaders(res, securityHeaders);
            next();
          },
          cors: () => corsHandler ?? ((_req, _res, next) => next()),
          notFound: () => createNotFoundHandler(errorOptions),
          error: () => createErrorHandler(errorOptions),
        };
        const healthRouter: RequestHandler = (req, res, next) => healthHandler(req, res, next);
        const routes: RequestHandler = (req, res, next) => router.handle(req, res, next);
        options.configure!({
          app,
          server,
          healthRouter,
          routes,
          middleware,
          config,
          logger,
          lifecycle,
          applyDefaults() {
            app.use(middleware.helmet());
            app.use(middleware.cors());
            app.use(healthRouter);
            app.use(routes);
            app.use(middleware.notFound());
            app.use(middleware.error());
          },
        });
        return (req: IncomingMessage, res: ServerResponse) => app(req, res);
      }
    },
  });
}

/**
 * Tells the router which plugins are installed, so that a request to a plugin whose router is not
 * mounted yet (its services are still being created) waits for it instead of getting 404.
 */
async function expectInstalledPlugins(options: {
  router: DefaultRootHttpRouter;
  instanceMetadata: RootInstanceMetadataService;
  timeoutMs: number;
  logger: LoggerService;
}): Promise<void> {
  const { router, instanceMetadata, timeoutMs, logger } = options;
  let plugins: ReadonlyArray<{ pluginId: string }>;
  try {
    plugins = await instanceMetadata.getInstalledPlugins();
  } catch (error) {
    // Only when a feature loader created this router: the plugin list is not known yet.
    logger.debug(
      'The installed plugins are not known yet; requests to plugins not mounted get 404',
      error,
    );
    return;
  }
  router.expectPlugins({ pluginIds: plugins.map(p => p.pluginId), timeoutMs });
}

/** The parts of the built-in request pipeline. */
interface PipelineParts {
  router: DefaultRootHttpRouter;
  healthHandler: ReturnType<typeof createHealthHandler>;
  corsHandler?: (req: any, res: any, next: (err?: unknown) => void) => void;
  securityHeaders: ReadonlyArray<readonly [string, string]>;
  errorOptions: ErrorResponseOptions;
}

/**
 * The built-in pipeline: security headers, CORS only when configured, the health endpoints,
 * then one lookup of the mounted path; 404 and errors get the standard body.
 */
function createPipeline(parts: PipelineParts) {
  const { router, healthHandler, corsHandler, securityHeaders, errorOptions } = parts;

  function route(req: IncomingMessage, res: ServerResponse) {
    const finish = (err?: unknown) => {
      if (err === undefined || err === null) {
        sendNotFound(req, res, errorOptions);
      } else {
        sendErrorResponse(err, req, res, errorOptions);
      }
    };
    if (req.url!.startsWith('/.backstage/health/')) {
      healthHandler(req, res, err => (err ? finish(err) : router.handle(req, res, finish)));
      return;
    }
    router.handle(req, res, finish);
  }

  return function handleRequest(req: IncomingMessage, res: ServerResponse) {
    setHeaders(res, securityHeaders);
    if (req.url === undefined || req.url[0] !== '/') {
      req.url = toOriginForm(req.url);
    }
    if (corsHandler) {
      corsHandler(req, res, err =>
        err ? sendErrorResponse(err, req, res, errorOptions) : route(req, res),
      );
      return;
    }
    route(req, res);
  };
}

function setHeaders(res: ServerResponse, headers: ReadonlyArray<readonly [string, string]>) {
  for (const [name, value] of headers) {
    res.setHeader(name, value);
  }
}

/** Turns an absolute-form request target (`http://host/path?q`) into its path and query. */
function toOriginForm(url: string | undefined): string {
  if (url && /^https?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    } catch {
      return '/';
    }
  }
  return url && url.startsWith('/') ? url : `/${url ?? ''}`;
}

/**
 * The default `core.rootHttpRouter` factory. It creates a `node:http` server and listens when the
 * backend starts (`backend.listen`, default port 7007 on all interfaces), serves the health
 * endpoints, routes each request to the handler registered for its path prefix, answers unknown
 * paths with 404 and errors with the standard JSON error body, adds security headers to every
 * response and CORS headers when `backend.cors` is configured, and on shutdown stops accepting
 * connections and lets in-flight requests finish (`backend.lifecycle.serverShutdownTimeout`,
 * default 10s). A request to an installed plugin that has not mounted its router yet waits for the
 * mount (`backend.lifecycle.startupRequestPauseTimeout`, default 5s) and then gets 503, never 404.
 *
 * Call it with {@link RootHttpRouterFactoryOptions} to get a customised factory.
 */
export const rootHttpRouterServiceFactory = Object.assign(
  (options?: RootHttpRouterFactoryOptions) => createRootHttpRouterFactory(options),
  createRootHttpRouterFactory(),
);

/** The host part of a URL: IPv6 addresses in brackets (`[::1]`), `localhost` when none is set. */
function urlHost(host: string | undefined): string {
  if (!host) {
    return 'localhost';
  }
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
