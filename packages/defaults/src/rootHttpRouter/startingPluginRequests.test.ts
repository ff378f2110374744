import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type BackendFeature,
  type JsonObject,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '@backplane/runtime';
import type { Backend } from '@backplane/runtime';
import { databaseServiceFactory } from '../database/databaseServiceFactory';
import { defaultServiceFactories } from '../defaultServiceFactories';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { startRootRouter } from './__fixtures__/fakes';
import type { ListeningRootHttpRouterService } from './rootHttpRouterServiceFactory';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** `core.database` as the default, but each plugin's client takes `delayMs` to be created. */
function slowDatabase(delayMs: number, fail = false) {
  const real = databaseServiceFactory as any;
  return createServiceFactory({
    service: coreServices.database,
    deps: real.deps,
    createRootContext: real.createRootContext,
    async factory(deps: any, context: any) {
      await sleep(delayMs);
      if (fail) {
        throw new Error('the database is unreachable');
      }
      return real.factory(deps, context);
    },
  } as any);
}

/** A plugin with one open route, `GET /hello`, that needs `core.database`. */
function helloPlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter, database: coreServices.database },
        async init({ httpRouter }) {
          httpRouter.use((req, res, next) =>
            req.path === '/hello' ? void res.json({ hello: pluginId }) : next(),
          );
          httpRouter.addAuthPolicy({ path: '/hello', allow: 'unauthenticated' });
        },
      });
    },
  });
}

interface Started {
  backend: Backend;
  started: Promise<unknown>;
  url: string;
}

const running: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(backend => backend.stop()));
});

async function startRoot(options: Parameters<typeof startRootRouter>[0]) {
  const root = await startRootRouter(options);
  running.push(root);
  return root;
}

const NOT_STARTED_SLOW =
  "Plugin 'slow' has not finished starting after 300ms, so the request was not handled; retry shortly, or raise 'backend.lifecycle.startupRequestPauseTimeout' if the plugin needs longer to start.";
const FAILED_BROKEN =
  "Plugin 'broken' failed to start, so the request was not handled; the backend runs without it. Find the cause in the startup log ('Plugin failed to start'), fix it and restart the backend.";
const fast = { backend: { lifecycle: { startupRequestPauseTimeout: '300ms' } } };

/** Starts a backend without awaiting it, and resolves once its server listens. */
async function startWithoutWaiting(options: {
  features: BackendFeature[];
  config?: JsonObject;
}): Promise<Started> {
  let router: ListeningRootHttpRouterService | undefined;
  const data = {
    ...options.config,
    backend: {
      baseUrl: 'http://localhost',
      listen: { host: '127.0.0.1', port: 0 },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      logger: { level: 'error' },
      ...((options.config?.backend as JsonObject | undefined) ?? {}),
    },
  };
  const backend = createSpecializedBackend({ defaultServiceFactories });
  running.push(backend);
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(data),
    }),
  );
  const real = defaultServiceFactories.find(
    f => (f as any).service.id === 'core.rootHttpRouter',
  ) as any;
  backend.add(
    createServiceFactory({
      service: coreServices.rootHttpRouter,
      deps: real.deps,
      async factory(deps: any) {
        router = await real.factory(deps);
        return router!;
      },
    } as any),
  );
  for (const feature of options.features) {
    backend.add(feature);
  }
  const started = backend.start().catch(error => error);
  while (!router) {
    await sleep(5);
  }
  const { port } = router.server.address() as AddressInfo;
  return { backend, started, url: `http://127.0.0.1:${port}` };
}

describe('requests to a plugin that is still starting', () => {
  it('should wait for a plugin whose dependencies are slow and then answer 200', async () => {
    const { url, started } = await startWithoutWaiting({
      features: [slowDatabase(600), helloPlugin('slow')],
    });
    await sleep(200);

    const began = Date.now();
    const res = await fetch(`${url}/api/slow/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'slow' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    await started;
  });

  it('should answer 503 naming the plugin when it is not mounted within the pause timeout', async () => {
    const { url } = await startWithoutWaiting({
      features: [slowDatabase(1500), helloPlugin('slow')],
      config: fast,
    });
    await sleep(200);

    const began = Date.now();
    const res = await fetch(`${url}/api/slow/hello?x=1`);
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { name: 'ServiceUnavailableError', message: NOT_STARTED_SLOW },
      request: { method: 'GET', url: '/hello?x=1' },
      response: { statusCode: 503 },
    });
  });

  it('should answer an unknown plugin id with 404 at once while another plugin starts', async () => {
    const { url } = await startWithoutWaiting({
      features: [slowDatabase(1500), helloPlugin('slow')],
    });
    await sleep(200);

    const began = Date.now();
    const res = await fetch(`${url}/api/nope/hello`);
    expect(Date.now() - began).toBeLessThan(250);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.name).toBe('NotFoundError');
  });

  it('should answer 503 at once for a plugin that failed to start before mounting its router', async () => {
    const { url, started } = await startWithoutWaiting({
      features: [slowDatabase(50, true), helloPlugin('broken')],
      config: { backend: { startup: { default: { onPluginBootFailure: 'continue' } } } },
    });
    const { result } = (await started) as any;
    expect(result.plugins[0]).toMatchObject({ pluginId: 'broken', failure: { allowed: true } });

    const began = Date.now();
    const res = await fetch(`${url}/api/broken/hello`);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { name: 'ServiceUnavailableError', message: FAILED_BROKEN },
      request: { method: 'GET', url: '/hello' },
      response: { statusCode: 503 },
    });
  });

  it('should answer the same 503 for a plugin whose init failed after its router was mounted', async () => {
    const broken = createBackendPlugin({
      pluginId: 'broken',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            httpRouter.use((_req, res) => void res.end('never'));
            throw new Error('init failed');
          },
        });
      },
    });
    const { url, started } = await startWithoutWaiting({
      features: [broken],
      config: {
        backend: { startup: { plugins: { broken: { onPluginBootFailure: 'continue' } } } },
      },
    });
    await started;

    const began = Date.now();
    const res = await fetch(`${url}/api/broken/hello`);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toBe(FAILED_BROKEN);
  });
});

describe('DefaultRootHttpRouter with installed plugins not mounted yet', () => {
  it('should route a waiting request once the plugin mounts, with the usual urls', async () => {
    const root = await startRoot({ installedPlugins: ['Later'] });

    const pending = fetch(`${root.url}/api/later/items?q=1`);
    await sleep(100);
    root.router.use('/api/Later', (req: any, res) =>
      res.end(JSON.stringify({ url: req.url, baseUrl: req.baseUrl, originalUrl: req.originalUrl })),
    );
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      url: '/items?q=1',
      baseUrl: '/api/later',
      originalUrl: '/api/later/items?q=1',
    });
  });

  it('should not hold paths outside the plugin, nor the bare /api path', async () => {
    const root = await startRoot({ installedPlugins: ['later'] });

    for (const path of ['/api', '/api/', '/api/laterx/y', '/other/later']) {
      const began = Date.now();
      const res = await fetch(`${root.url}${path}`);
      expect(res.status).toBe(404);
      expect(Date.now() - began).toBeLessThan(250);
    }
  });

  it('should answer waiting requests with 503 when the server starts closing', async () => {
    const root = await startRoot({
      installedPlugins: ['later'],
      config: { backend: { lifecycle: { startupRequestPauseTimeout: '10s' } } },
    });

    const pending = fetch(`${root.url}/api/later/x`);
    await sleep(100);
    const stopping = root.lifecycle.beforeShutdown();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toBe(
      "Plugin 'later' is shutting down, so the request was not handled; retry against another instance.",
    );
    await stopping;
  });

  it('should answer 503 at once after the root startup hooks ran without the plugin mounting', async () => {
    const root = await startRoot({ installedPlugins: ['broken'] });
    await root.lifecycle.startup();

    const began = Date.now();
    const res = await fetch(`${root.url}/api/broken/x`);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toBe(FAILED_BROKEN);
  });

  it('should wait the same way in a pipeline assembled with configure', async () => {
    const root = await startRoot({
      installedPlugins: ['slow'],
      config: fast,
      factoryOptions: { configure: ({ applyDefaults }) => applyDefaults() },
    });

    const res = await fetch(`${root.url}/api/slow/hello?x=1`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { name: 'ServiceUnavailableError', message: NOT_STARTED_SLOW },
      request: { method: 'GET', url: '/hello?x=1' },
      response: { statusCode: 503 },
    });
  });
});
