import * as http from 'node:http';
import * as net from 'node:net';
import express from 'express';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@backplane/plugin-api';
import {
  createFakeConfig,
  createFakeInstanceMetadata,
  createFakeLogger,
  createFakeRootHealth,
  createFakeRootLifecycle,
  instantiate,
  startRootRouter,
} from './__fixtures__/fakes';
import { DefaultRootHealthService } from '../rootHealth/DefaultRootHealthService';
import { DefaultRootLifecycleService } from '../rootLifecycle/DefaultRootLifecycleService';
import { rootHttpRouterServiceFactory } from './rootHttpRouterServiceFactory';
import type { ListeningRootHttpRouterService } from './rootHttpRouterServiceFactory';

type Root = Awaited<ReturnType<typeof startRootRouter>>;
const running: Root[] = [];

async function start(options?: Parameters<typeof startRootRouter>[0]): Promise<Root> {
  const root = await startRootRouter(options);
  running.push(root);
  return root;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(root => root.stop()));
});

describe('rootHttpRouterServiceFactory', () => {
  it('should listen when created and expose the bound port on server', async () => {
    const root = await start();

    expect(root.port).toBeGreaterThan(0);
    expect(root.router.server.listening).toBe(true);
    expect(root.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'Listening for HTTP requests',
        meta: { url: `http://127.0.0.1:${root.port}`, port: root.port },
      }),
    );
  });

  it('should log the listen URL with an IPv6 host in brackets', async () => {
    const root = await start({ config: { backend: { listen: { host: '::1', port: 0 } } } });

    expect(root.logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'Listening for HTTP requests',
        meta: { url: `http://[::1]:${root.port}`, port: root.port },
      }),
    );
  });

  it('should be callable with options to make a new factory', () => {
    const custom = rootHttpRouterServiceFactory({ showStackTraces: true });

    expect(custom).not.toBe(rootHttpRouterServiceFactory);
    expect(custom.$$type).toBe('@backstage/BackendFeature');
    expect((rootHttpRouterServiceFactory as any).featureType).toBe('service');
    expect((rootHttpRouterServiceFactory as any).service.id).toBe('core.rootHttpRouter');
  });

  it('should serve liveness and readiness from rootHealth', async () => {
    const root = await start();

    const live = await fetch(`${root.url}/.backstage/health/v1/liveness`);
    expect(live.status).toBe(200);
    expect((await live.json()) as any).toEqual({ status: 'ok' });

    const notReady = await fetch(`${root.url}/.backstage/health/v1/readiness`);
    expect(notReady.status).toBe(503);
    expect((await notReady.json()) as any).toEqual({
      message: 'Backend has not started yet',
      status: 'error',
    });

    root.health.state.ready = true;
    const ready = await fetch(`${root.url}/.backstage/health/v1/readiness?probe=1`);
    expect(ready.status).toBe(200);
    expect((await ready.json()) as any).toEqual({ status: 'ok' });
  });

  it('should add backend.health.headers to health responses', async () => {
    const root = await start({
      config: { backend: { health: { headers: { 'x-probe': 'yes' } } } },
    });

    const res = await fetch(`${root.url}/.backstage/health/v1/liveness`);
    expect(res.headers.get('x-probe')).toBe('yes');
  });

  it('should answer unknown /api paths with a JSON 404 naming the path', async () => {
    const root = await start();

    const res = await fetch(`${root.url}/api/nope/things?x=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await res.json()) as any).toEqual({
      error: {
        name: 'NotFoundError',
        message:
          "No route matches 'GET /api/nope/things'; check the plugin id and the path (plugins are served at '/api/<pluginId>/...')",
      },
      request: { method: 'GET', url: '/api/nope/things?x=1' },
      response: { statusCode: 404 },
    });
  });

  it('should answer other unknown paths with an empty 404', async () => {
    const root = await start();

    const res = await fetch(`${root.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });

  it('should give a mounted Express router the full originalUrl, the mount as baseUrl, params and query', async () => {
    const root = await start();
    const seen: unknown[] = [];
    const inner = express.Router();
    inner.get('/:id', (req, res) => {
      seen.push({ originalUrl: req.originalUrl, baseUrl: req.baseUrl, url: req.url });
      res.json({ params: req.params, query: req.query, host: req.get('host') });
    });
    const router = express.Router();
    router.get('/items/:id', (req, res) => {
      seen.push({
        originalUrl: req.originalUrl,
        baseUrl: req.baseUrl,
        url: req.url,
        path: req.path,
      });
      res.status(201).json({ params: req.params, query: req.query });
    });
    router.use('/nested', inner);
    root.router.use('/api/demo', router);

    const res = await fetch(`${root.url}/api/demo/items/42?a=1&b[c]=2`);
    expect(res.status).toBe(201);
    expect((await res.json()) as any).toEqual({
      params: { id: '42' },
      query: { a: '1', b: { c: '2' } },
    });

    const nested = await fetch(`${root.url}/api/demo/nested/7?q=x`);
    expect((await nested.json()) as any).toEqual({
      params: { id: '7' },
      query: { q: 'x' },
      host: `127.0.0.1:${root.port}`,
    });
    expect(seen).toEqual([
      {
        originalUrl: '/api/demo/items/42?a=1&b[c]=2',
        baseUrl: '/api/demo',
        url: '/items/42?a=1&b[c]=2',
        path: '/items/42',
      },
      { originalUrl: '/api/demo/nested/7?q=x', baseUrl: '/api/demo/nested', url: '/7?q=x' },
    ]);
  });

  it('should route the bare mount path and match the mount case-insensitively like Express', async () => {
    const root = await start();
    const router = express.Router();
    router.get('/', (req, res) => res.json({ baseUrl: req.baseUrl, url: req.url }));
    root.router.use('/api/demo', router);

    expect(await (await fetch(`${root.url}/api/demo`)).json()).toEqual({
      baseUrl: '/api/demo',
      url: '/',
    });
    expect(await (await fetch(`${root.url}/api/demo?x=1`)).json()).toEqual({
      baseUrl: '/api/demo',
      url: '/?x=1',
    });
    expect(await (await fetch(`${root.url}/API/Demo/`)).json()).toEqual({
      baseUrl: '/API/Demo',
      url: '/',
    });
    expect((await fetch(`${root.url}/api/demox`)).status).toBe(404);
  });

  it('should support Express response helpers such as res.send, res.status and res.locals', async () => {
    const root = await start();
    const router = express.Router();
    router.use((_req, res, next) => {
      res.locals.user = 'alice';
      next();
    });
    router.get('/text', (req, res) => {
      res.set('x-custom', 'yes').status(202).send(`hello ${res.locals.user} ${req.protocol}`);
    });
    router.get('/redirect', (_req, res) => res.redirect('/api/demo/text'));
    root.router.use('/api/demo', router);

    const res = await fetch(`${root.url}/api/demo/text`);
    expect(res.status).toBe(202);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(await res.text()).toBe('hello alice http');

    const redirect = await fetch(`${root.url}/api/demo/redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/api/demo/text');
  });

  it('should refuse overlapping paths, naming both', async () => {
    const root = await start();
    root.router.use('/api/catalog', express.Router());

    expect(() => root.router.use('/api/catalog', express.Router())).toThrow(
      "rootHttpRouter.use('/api/catalog') overlaps the path '/api/catalog' that is already in use; each handler needs its own path, and neither may be a prefix of the other.",
    );
    expect(() => root.router.use('/api/catalog/sub', express.Router())).toThrow(
      "rootHttpRouter.use('/api/catalog/sub') overlaps the path '/api/catalog' that is already in use",
    );
    expect(() => root.router.use('/api', express.Router())).toThrow(
      "rootHttpRouter.use('/api') overlaps the path '/api/catalog' that is already in use",
    );
    expect(() => root.router.use('/API/Catalog/', express.Router())).toThrow(
      "rootHttpRouter.use('/API/Catalog/') overlaps the path '/api/catalog'",
    );
    expect(() => root.router.use('/api/catalogue', express.Router())).not.toThrow();
  });

  it('should refuse paths that are not plain prefixes', async () => {
    const root = await start();

    expect(() => root.router.use('/', express.Router())).toThrow(
      "rootHttpRouter.use('/'): the path must start with '/' and name at least one segment, for example '/api/my-plugin'.",
    );
    expect(() => root.router.use('api/x', express.Router())).toThrow(
      "rootHttpRouter.use('api/x'): the path must start with '/'",
    );
    expect(() => root.router.use('/api/:id', express.Router())).toThrow(
      "rootHttpRouter.use('/api/:id'): the path must be a plain prefix without patterns, dot segments or empty segments, for example '/api/my-plugin'.",
    );
  });

  it('should send other paths to the index path handler when one is mounted', async () => {
    const root = await start();
    const app = express.Router();
    app.get('/*', (req, res) => res.json({ baseUrl: req.baseUrl, url: req.url }));
    root.router.use('/api/app', app);

    expect(await (await fetch(`${root.url}/catalog/entity`)).json()).toEqual({
      baseUrl: '',
      url: '/catalog/entity',
    });
    expect(await (await fetch(`${root.url}/api/app/x`)).json()).toEqual({
      baseUrl: '/api/app',
      url: '/x',
    });
    expect((await fetch(`${root.url}/api/unknown`)).status).toBe(404);
  });
});

describe('rootHttpRouterServiceFactory error responses', () => {
  const cases: Array<[string, Error, number]> = [
    ['InputError', new InputError('bad input'), 400],
    ['AuthenticationError', new AuthenticationError('who are you'), 401],
    ['NotAllowedError', new NotAllowedError('not you'), 403],
    ['NotFoundError', new NotFoundError('no such thing'), 404],
    ['ConflictError', new ConflictError('already there'), 409],
    ['NotImplementedError', new NotImplementedError('not yet'), 501],
    ['ServiceUnavailableError', new ServiceUnavailableError('try later'), 503],
    ['Error', new Error('boom'), 500],
    ['TypeError', new TypeError('wrong type'), 500],
  ];

  it.each(cases)(
    'should map a thrown %s to its status and the standard body',
    async (name, error, status) => {
      const root = await start();
      const router = express.Router();
      router.get('/fail', () => {
        throw error;
      });
      root.router.use('/api/demo', router);

      const res = await fetch(`${root.url}/api/demo/fail?q=1`);
      expect(res.status).toBe(status);
      expect((await res.json()) as any).toEqual({
        error: { name, message: error.message },
        request: { method: 'GET', url: '/fail?q=1' },
        response: { statusCode: status },
      });
    },
  );

  it('should answer NotModifiedError with a bodiless 304', async () => {
    const root = await start();
    root.router.use('/api/demo', (_req, _res, next) => next(new NotModifiedError('same')));

    const res = await fetch(`${root.url}/api/demo/x`);
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
  });

  it('should prefer an explicit numeric statusCode, then status, over the name', async () => {
    const root = await start();
    root.router.use('/api/demo', (req, _res, next) => {
      const error: any = new InputError('teapot');
      if (req.url.startsWith('/code')) error.statusCode = 418;
      if (req.url.startsWith('/status')) error.status = 422;
      if (req.url.startsWith('/bogus')) error.statusCode = 'nope';
      next(error);
    });

    const code = await fetch(`${root.url}/api/demo/code`);
    expect(code.status).toBe(418);
    expect(((await code.json()) as any).response).toEqual({ statusCode: 418 });
    expect((await fetch(`${root.url}/api/demo/status`)).status).toBe(422);
    expect((await fetch(`${root.url}/api/demo/bogus`)).status).toBe(400);
  });

  it('should handle errors passed to next, rejected async handlers and thrown non-errors', async () => {
    const root = await start();
    root.router.use('/api/next', (_req, _res, next) => next(new ConflictError('via next')));
    root.router.use('/api/async', async () => {
      throw new NotAllowedError('via promise');
    });
    root.router.use('/api/string', () => {
      throw 'plain string';
    });

    const viaNext = await fetch(`${root.url}/api/next/a`);
    expect(viaNext.status).toBe(409);
    const viaPromise = await fetch(`${root.url}/api/async/b`);
    expect((await viaPromise.json()) as any).toEqual({
      error: { name: 'NotAllowedError', message: 'via promise' },
      request: { method: 'GET', url: '/b' },
      response: { statusCode: 403 },
    });
    const viaString = await fetch(`${root.url}/api/string`);
    expect((await viaString.json()) as any).toEqual({
      error: { name: 'Error', message: 'plain string' },
      request: { method: 'GET', url: '/' },
      response: { statusCode: 500 },
    });
  });

  it('should show 500 messages but log them with the stack, and keep the stack out of the body', async () => {
    const root = await start();
    const error = new Error('database exploded');
    root.router.use('/api/demo', () => {
      throw error;
    });

    const res = await fetch(`${root.url}/api/demo/x`, { method: 'POST' });
    const body = (await res.json()) as any;
    expect(body.error).toEqual({ name: 'Error', message: 'database exploded' });
    const logged = root.logger.entries.find(e => e.level === 'error');
    expect(logged).toEqual({
      level: 'error',
      message: 'Request failed',
      meta: error,
      fields: { method: 'POST', url: '/api/demo/x' },
    });
    expect((logged!.meta as Error).stack).toContain('database exploded');
    expect(root.logger.entries.filter(e => e.level === 'error')).toHaveLength(1);
  });

  it('should log a 503 as a warning with its message and no stack', async () => {
    const root = await start();
    root.router.use('/api/demo', () => {
      throw new ServiceUnavailableError('upstream is restarting');
    });

    const res = await fetch(`${root.url}/api/demo/x`);

    expect(res.status).toBe(503);
    expect(root.logger.entries.filter(e => e.level === 'error')).toHaveLength(0);
    expect(root.logger.entries.find(e => e.level === 'warn')).toEqual({
      level: 'warn',
      message: 'Request refused: service unavailable',
      meta: { reason: 'upstream is restarting' },
      fields: { method: 'GET', url: '/api/demo/x' },
    });
  });

  it('should not log client errors', async () => {
    const root = await start();
    root.router.use('/api/demo', () => {
      throw new InputError('bad');
    });

    await fetch(`${root.url}/api/demo/x`);
    expect(root.logger.entries.filter(e => e.level === 'error')).toEqual([]);
  });

  it('should put the stack in the body only when showStackTraces is set', async () => {
    const root = await start({ factoryOptions: { showStackTraces: true } });
    root.router.use('/api/demo', () => {
      throw new InputError('bad');
    });

    const body = (await (await fetch(`${root.url}/api/demo/x`)).json()) as any;
    expect(body.error.stack).toContain('InputError: bad');
  });
});

describe('rootHttpRouterServiceFactory listening', () => {
  it('should fail with one clear error when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const deps = {
        config: createFakeConfig({ backend: { listen: `127.0.0.1:${port}` } }),
        logger: createFakeLogger(),
        lifecycle: createFakeRootLifecycle(),
        health: createFakeRootHealth(),
        instanceMetadata: createFakeInstanceMetadata(),
      };
      await expect(instantiate(rootHttpRouterServiceFactory, deps)).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${port}: the port is already in use by another process. Stop that process, or choose another port with 'backend.listen' in app-config.yaml (for example 'backend.listen: :${port + 1}').`,
      );
    } finally {
      blocker.close();
    }
  });

  it('should apply backend.server timeouts', async () => {
    const root = await start({
      config: {
        backend: {
          server: { keepAliveTimeout: '2s', headersTimeout: 3000, maxRequestsPerSocket: 50 },
        },
      },
    });

    expect(root.router.server.keepAliveTimeout).toBe(2000);
    expect(root.router.server.headersTimeout).toBe(3000);
    expect(root.router.server.maxRequestsPerSocket).toBe(50);
  });
});

describe('rootHttpRouterServiceFactory optional middleware', () => {
  it('should send no CORS headers unless configured, and the security headers always', async () => {
    const root = await start();
    root.router.use('/api/demo', (_req, res) => res.end('ok'));

    const res = await fetch(`${root.url}/api/demo`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    // As Backstage's runtime sends them: helmet's defaults, script-src with 'unsafe-eval', no
    // form-action, no cross-origin policies.
    const csp = res.headers.get('content-security-policy')!.split(';');
    expect(csp).toContain("script-src 'self' 'unsafe-eval'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp.some(directive => directive.startsWith('form-action'))).toBe(false);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(res.headers.get('cross-origin-resource-policy')).toBeNull();
    expect(res.headers.get('origin-agent-cluster')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();

    // Errors and 404s get them too.
    const missing = await fetch(`${root.url}/api/nothing-here`);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('should answer CORS preflights from backend.cors, with glob origins', async () => {
    const root = await start({
      config: {
        backend: {
          cors: {
            origin: ['http://localhost:3000', 'https://*.example.com'],
            credentials: true,
            methods: ['GET', 'POST'],
          },
        },
      },
    });
    root.router.use('/api/demo', (_req, res) => res.end('ok'));

    const preflight = await fetch(`${root.url}/api/demo/x`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST');

    const other = await fetch(`${root.url}/api/demo/x`, {
      headers: { origin: 'https://evil.test' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(await other.text()).toBe('ok');
  });

  it('should send CORS headers for one configured origin only to that origin', async () => {
    const root = await start({
      config: { backend: { cors: { origin: 'http://localhost:3000' } } },
    });
    root.router.use('/api/demo', (_req, res) => res.end('ok'));

    for (const method of ['GET', 'OPTIONS']) {
      const headers = { 'access-control-request-method': 'GET' };
      const evil = await fetch(`${root.url}/api/demo/x`, {
        method,
        headers: { ...headers, origin: 'http://evil.com' },
      });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const app = await fetch(`${root.url}/api/demo/x`, {
        method,
        headers: { ...headers, origin: 'http://localhost:3000' },
      });
      expect(app.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(app.headers.get('vary')).toContain('Origin');
    }
  });

  it('should set helmet headers with the directives of backend.csp', async () => {
    const root = await start({
      config: {
        backend: {
          csp: { 'img-src': ["'self'", 'https://img.test'], 'upgrade-insecure-requests': false },
        },
      },
    });

    const res = await fetch(`${root.url}/.backstage/health/v1/liveness`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("img-src 'self' https://img.test");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('should reject a malformed backend.csp directive naming the key', async () => {
    const deps = {
      config: createFakeConfig({ backend: { listen: { port: 0 }, csp: { 'img-src': 'self' } } }),
      logger: createFakeLogger(),
      lifecycle: createFakeRootLifecycle(),
      health: createFakeRootHealth(),
      instanceMetadata: createFakeInstanceMetadata(),
    };
    await expect(instantiate(rootHttpRouterServiceFactory, deps)).rejects.toThrow(
      `Invalid 'backend.csp.img-src' "self"; write a list of sources such as ["'self'", 'https:'], or false to remove the directive.`,
    );
  });

  it('should let configure assemble the pipeline on an Express app', async () => {
    const root = await start({
      factoryOptions: {
        configure({ app, applyDefaults }) {
          app.use((_req, res, next) => {
            res.setHeader('x-configured', 'yes');
            next();
          });
          applyDefaults();
        },
      },
    });
    const router = express.Router();
    router.get('/x', (req, res) =>
      res.json({ baseUrl: req.baseUrl, originalUrl: req.originalUrl, query: req.query }),
    );
    root.router.use('/api/demo', router);

    const res = await fetch(`${root.url}/api/demo/x?a=1`);
    expect(res.headers.get('x-configured')).toBe('yes');
    expect((await res.json()) as any).toEqual({
      baseUrl: '/api/demo',
      originalUrl: '/api/demo/x?a=1',
      query: { a: '1' },
    });
    expect((await fetch(`${root.url}/api/none`)).status).toBe(404);
    expect((await fetch(`${root.url}/.backstage/health/v1/liveness`)).status).toBe(200);
  });
});

describe('rootHttpRouterServiceFactory shutdown', () => {
  function get(url: string, agent?: http.Agent) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(url, { agent }, res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        })
        .on('error', reject);
    });
  }

  it('should let an in-flight request finish, then stop accepting connections', async () => {
    const root = await startRootRouter();
    let release!: () => void;
    const arrived = new Promise<void>(resolve => {
      root.router.use('/api/slow', (_req, res) => {
        resolve();
        release = () => res.end('done');
      });
    });

    const inFlight = get(`${root.url}/api/slow`);
    await arrived;
    let stopped = false;
    const stopping = root.lifecycle.beforeShutdown().then(() => (stopped = true));
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    await expect(get(`${root.url}/api/slow`)).rejects.toThrow(/ECONNREFUSED/);

    release();
    expect(await inFlight).toEqual({ status: 200, body: 'done' });
    await stopping;
    expect(root.router.server.listening).toBe(false);
  });

  it('should answer readiness with 503 during backend.lifecycle.serverShutdownDelay, then stop', async () => {
    const logger = createFakeLogger();
    const lifecycle = new DefaultRootLifecycleService(logger);
    const router = (await instantiate(rootHttpRouterServiceFactory, {
      config: createFakeConfig({
        backend: {
          listen: { host: '127.0.0.1', port: 0 },
          lifecycle: { serverShutdownDelay: '400ms' },
        },
      }),
      logger,
      lifecycle,
      health: new DefaultRootHealthService({ lifecycle }),
      instanceMetadata: createFakeInstanceMetadata(),
    })) as ListeningRootHttpRouterService;
    const { port } = router.server.address() as net.AddressInfo;
    const readiness = `http://127.0.0.1:${port}/.backstage/health/v1/readiness`;
    router.use('/api/demo', (_req, res) => res.end('ok'));
    await lifecycle.startup();
    expect(await get(readiness)).toEqual({ status: 200, body: '{"status":"ok"}' });

    let stopped = false;
    const stopping = lifecycle.beforeShutdown().then(() => (stopped = true));
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(await get(readiness)).toEqual({
      status: 503,
      body: '{"message":"Backend is shutting down","status":"error"}',
    });
    // The delay is for load balancers to see readiness fail: plugins are still served meanwhile.
    expect(await get(`http://127.0.0.1:${port}/api/demo`)).toEqual({ status: 200, body: 'ok' });
    expect(stopped).toBe(false);

    await stopping;
    expect(router.server.listening).toBe(false);
    await expect(get(readiness, new http.Agent())).rejects.toThrow(/ECONNREFUSED/);
  });

  it('should close idle keep-alive connections instead of waiting for them', async () => {
    const root = await startRootRouter();
    root.router.use('/api/fast', (_req, res) => res.end('ok'));
    const agent = new http.Agent({ keepAlive: true });
    expect(await get(`${root.url}/api/fast`, agent)).toEqual({ status: 200, body: 'ok' });

    const began = Date.now();
    await root.lifecycle.beforeShutdown();
    expect(Date.now() - began).toBeLessThan(1000);
    agent.destroy();
  });

  it('should close connections still busy after backend.lifecycle.serverShutdownTimeout', async () => {
    const root = await startRootRouter({
      config: { backend: { lifecycle: { serverShutdownTimeout: '200ms' } } },
    });
    const arrived = new Promise<void>(resolve => {
      root.router.use('/api/stuck', () => resolve());
    });

    const stuck = get(`${root.url}/api/stuck`).catch(error => error as Error);
    await arrived;
    const began = Date.now();
    await root.lifecycle.beforeShutdown();
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(String(await stuck)).toMatch(/socket hang up/);
    expect(root.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'In-flight requests did not finish in time; closing their connections',
        meta: { timeoutMs: 200, configKey: 'backend.lifecycle.serverShutdownTimeout' },
      }),
    );
  });
});

describe('rootHttpRouterServiceFactory WebSocket upgrades', () => {
  it('should hand upgrades at an exact path to the handler and close them on shutdown', async () => {
    const root = await startRootRouter();
    const wss = new WebSocketServer({ noServer: true });
    root.router.addWebSocketHandler({
      path: '/socket',
      handler: ({ request, socket, head }) => {
        wss.handleUpgrade(request, socket, head, ws => ws.send('hello'));
      },
    });

    const ws = new WebSocket(`ws://127.0.0.1:${root.port}/socket?x=1`);
    const first = await new Promise(resolve => ws.once('message', d => resolve(String(d))));
    expect(first).toBe('hello');
    const closed = new Promise(resolve => ws.once('close', resolve));

    const missing = new WebSocket(`ws://127.0.0.1:${root.port}/socket/`);
    const status = await new Promise(resolve =>
      missing.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(404);

    await root.lifecycle.beforeShutdown();
    await closed;
    wss.close();
  });

  it('should serve requests with an Upgrade header normally while no WebSocket handler exists', async () => {
    const root = await start();
    root.router.use('/api/demo', (_req, res) => res.end('plain'));

    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(`${root.url}/api/demo`, { headers: { connection: 'upgrade', upgrade: 'h2c' } }, r => {
          let body = '';
          r.on('data', c => (body += c));
          r.on('end', () => resolve({ status: r.statusCode!, body }));
        })
        .on('error', reject);
    });
    expect(res).toEqual({ status: 200, body: 'plain' });
  });

  it('should refuse a second WebSocket handler at the same path', async () => {
    const root = await start();
    root.router.addWebSocketHandler({ path: '/socket', handler: () => {} });

    expect(() => root.router.addWebSocketHandler({ path: '/socket', handler: () => {} })).toThrow(
      "rootHttpRouter.addWebSocketHandler('/socket'): a WebSocket handler is already registered at this path; register one handler per path.",
    );
  });
});
