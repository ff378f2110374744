import express from 'express';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '@backplane/plugin-api';
import { addPlugin, startRootRouter, tokens } from '../rootHttpRouter/__fixtures__/fakes';

type Root = Awaited<ReturnType<typeof startRootRouter>>;
const running: Root[] = [];

async function start(config?: Record<string, unknown>): Promise<Root> {
  const root = await startRootRouter({ config });
  running.push(root);
  return root;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(root => root.stop()));
});

const user = { authorization: tokens.user };

describe('httpRouterServiceFactory', () => {
  it('should mount the plugin router at /api/<pluginId> with originalUrl, baseUrl, params and query', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    const router = express.Router();
    router.get('/things/:id', (req, res) => {
      res.json({
        originalUrl: req.originalUrl,
        baseUrl: req.baseUrl,
        url: req.url,
        params: req.params,
        query: req.query,
      });
    });
    httpRouter.use(router);

    const res = await fetch(`${root.url}/api/demo/things/7?filter=kind%3Dx`, { headers: user });
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual({
      originalUrl: '/api/demo/things/7?filter=kind%3Dx',
      baseUrl: '/api/demo',
      url: '/things/7?filter=kind%3Dx',
      params: { id: '7' },
      query: { filter: 'kind=x' },
    });
  });

  it('should run handlers in use() order', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.use((_req, res, next) => {
      res.setHeader('x-first', '1');
      next();
    });
    httpRouter.use((_req, res) => res.end('second'));
    httpRouter.use((_req, res) => res.end('third'));

    const res = await fetch(`${root.url}/api/demo/any`, { headers: user });
    expect(res.headers.get('x-first')).toBe('1');
    expect(await res.text()).toBe('second');
  });

  it('should refuse a handler that is not a function', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');

    expect(() => httpRouter.use('nope' as any)).toThrow(
      "httpRouter.use() of plugin 'demo': the handler must be a function such as an Express router, got string.",
    );
  });

  it('should answer requests without credentials with 401 and the standard body', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.use(express.Router().get('/private', (_req, res) => res.json({ ok: true })));

    const res = await fetch(`${root.url}/api/demo/private?x=1`);
    expect(res.status).toBe(401);
    expect((await res.json()) as any).toEqual({
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
      request: { method: 'GET', url: '/private?x=1' },
      response: { statusCode: 401 },
    });
    const bad = await fetch(`${root.url}/api/demo/private`, {
      headers: { authorization: 'Bearer garbage' },
    });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as any).error.message).toBe('Illegal token');
    const ok = await fetch(`${root.url}/api/demo/private`, { headers: user });
    expect((await ok.json()) as any).toEqual({ ok: true });
  });

  it('should check credentials once per request, allowing users and services', async () => {
    const root = await start();
    const { httpRouter, httpAuth } = await addPlugin(root, 'demo');
    httpRouter.addAuthPolicy({ path: '/static', allow: 'user-cookie' });
    httpRouter.addAuthPolicy({ path: '/open', allow: 'unauthenticated' });
    httpRouter.use((_req, res) => res.end('ok'));

    await fetch(`${root.url}/api/demo/private`, { headers: { authorization: tokens.service } });
    await fetch(`${root.url}/api/demo/static/app.js`, { headers: { cookie: tokens.cookie } });
    await fetch(`${root.url}/api/demo/open`);
    expect(httpAuth.calls).toEqual([
      { url: '/private', allow: ['user', 'service'], allowLimitedAccess: false },
      { url: '/static/app.js', allow: ['user', 'service'], allowLimitedAccess: true },
    ]);
  });

  it('should accept cookies only under user-cookie policies', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.addAuthPolicy({ path: '/static/:file', allow: 'user-cookie' });
    httpRouter.use((_req, res) => res.end('ok'));

    const cookie = { cookie: tokens.cookie };
    expect((await fetch(`${root.url}/api/demo/static/app.js`, { headers: cookie })).status).toBe(
      200,
    );
    expect((await fetch(`${root.url}/api/demo/static/app.js`)).status).toBe(401);
    const elsewhere = await fetch(`${root.url}/api/demo/private`, { headers: cookie });
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as any).error).toEqual({
      name: 'NotAllowedError',
      message: 'Limited access token is not allowed',
    });
  });

  it('should open every route when backend.auth.dangerouslyDisableDefaultAuthPolicy is true', async () => {
    const root = await start({ backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } } });
    const { httpRouter, httpAuth, logger } = await addPlugin(root, 'demo');
    httpRouter.use((_req, res) => res.end('open'));

    const res = await fetch(`${root.url}/api/demo/private`);
    expect(await res.text()).toBe('open');
    expect(httpAuth.calls).toEqual([]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'The default auth policy is disabled; every route of the plugin is open',
      }),
    );
  });

  it('should serve the public JWKS without credentials, even before the plugin has started', async () => {
    const root = await start();
    await addPlugin(root, 'demo', { started: false });

    const res = await fetch(`${root.url}/api/demo/.backstage/auth/v1/jwks.json`);
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual({ keys: [{ kid: 'key-1', kty: 'EC' }] });
  });

  it('should pass plugin errors on as the standard body with the plugin-relative url', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.use(
      express.Router().post('/items', () => {
        throw new ConflictError("Item 'x' already exists");
      }),
    );

    const res = await fetch(`${root.url}/api/demo/items`, { method: 'POST', headers: user });
    expect(res.status).toBe(409);
    expect((await res.json()) as any).toEqual({
      error: { name: 'ConflictError', message: "Item 'x' already exists" },
      request: { method: 'POST', url: '/items' },
      response: { statusCode: 409 },
    });
  });

  it('should answer an unknown path of a plugin with a JSON 404 once the caller is authenticated', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.use(express.Router().get('/known', (_req, res) => res.end()));

    expect((await fetch(`${root.url}/api/demo/unknown`)).status).toBe(401);
    const res = await fetch(`${root.url}/api/demo/unknown`, { headers: user });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toEqual({
      name: 'NotFoundError',
      message:
        "No route matches 'GET /api/demo/unknown'; check the plugin id and the path (plugins are served at '/api/<pluginId>/...')",
    });
  });
});

describe('httpRouterServiceFactory lifecycle gate', () => {
  const fast = { backend: { lifecycle: { startupRequestPauseTimeout: '200ms' } } };

  it('should answer 503 naming the plugin when it does not start within the pause timeout', async () => {
    const root = await start(fast);
    const { httpRouter } = await addPlugin(root, 'slowpoke', { started: false });
    httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
    httpRouter.use((_req, res) => res.end('ok'));

    const began = Date.now();
    const res = await fetch(`${root.url}/api/slowpoke/health`);
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(503);
    expect((await res.json()) as any).toEqual({
      error: {
        name: 'ServiceUnavailableError',
        message:
          "Plugin 'slowpoke' has not finished starting after 200ms, so the request was not handled; retry shortly, or raise 'backend.lifecycle.startupRequestPauseTimeout' if the plugin needs longer to start.",
      },
      request: { method: 'GET', url: '/health' },
      response: { statusCode: 503 },
    });
  });

  it('should hold requests until the plugin starts and then serve them', async () => {
    const root = await start({ backend: { lifecycle: { startupRequestPauseTimeout: '5s' } } });
    const { httpRouter, lifecycle } = await addPlugin(root, 'demo', { started: false });
    httpRouter.use((_req, res) => res.end('served'));

    const pending = fetch(`${root.url}/api/demo/x`, { headers: user });
    await new Promise(resolve => setTimeout(resolve, 100));
    await lifecycle.startup();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('served');
  });

  it('should answer 503 at once, saying so, when the plugin failed to start', async () => {
    const root = await start({ backend: { lifecycle: { startupRequestPauseTimeout: '5s' } } });
    const { httpRouter } = await addPlugin(root, 'broken', { started: false });
    httpRouter.use((_req, res) => res.end('ok'));
    // The root startup hooks run after every plugin started or failed; 'broken' never started.
    await root.lifecycle.startup();

    const began = Date.now();
    const res = await fetch(`${root.url}/api/broken/x`, { headers: user });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect((await res.json()) as any).toEqual({
      error: {
        name: 'ServiceUnavailableError',
        message:
          "Plugin 'broken' failed to start, so the request was not handled; the backend runs without it. Find the cause in the startup log ('Plugin failed to start'), fix it and restart the backend.",
      },
      request: { method: 'GET', url: '/x' },
      response: { statusCode: 503 },
    });
  });

  it('should keep serving a started plugin after the root startup hooks ran', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    httpRouter.use((_req, res) => res.end('ok'));
    await root.lifecycle.startup();

    const res = await fetch(`${root.url}/api/demo/x`, { headers: user });
    expect(res.status).toBe(200);
  });

  it('should answer 503 while the plugin shuts down', async () => {
    const root = await start();
    const { httpRouter, lifecycle } = await addPlugin(root, 'demo');
    httpRouter.use((_req, res) => res.end('ok'));
    await lifecycle.shutdown();

    const res = await fetch(`${root.url}/api/demo/x`, { headers: user });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toBe(
      "Plugin 'demo' is shutting down, so the request was not handled; retry against another instance.",
    );
  });
});

describe('httpRouterServiceFactory cookie endpoints', () => {
  it('should issue a user cookie to a user and report when it expires', async () => {
    const root = await start();
    const { httpAuth } = await addPlugin(root, 'demo');

    const res = await fetch(`${root.url}/api/demo/.backstage/auth/v1/cookie`, { headers: user });
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual({ expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(res.headers.get('set-cookie')).toBe('backstage-auth=limited-user');
    expect(httpAuth.cookies).toEqual([{ type: 'user' }]);
    expect(httpAuth.calls).toHaveLength(1);
  });

  it('should refuse to issue a cookie to a service', async () => {
    const root = await start();
    await addPlugin(root, 'demo');

    const res = await fetch(`${root.url}/api/demo/.backstage/auth/v1/cookie`, {
      headers: { authorization: tokens.service },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error).toEqual({
      name: 'NotAllowedError',
      message:
        "The cookie endpoint of plugin 'demo' issues cookies to users only, but the request carried 'service' credentials; call it with a user token.",
    });
  });

  it('should require credentials for the cookie endpoint and clear the cookie on DELETE', async () => {
    const root = await start();
    const { httpAuth } = await addPlugin(root, 'demo');

    expect((await fetch(`${root.url}/api/demo/.backstage/auth/v1/cookie`)).status).toBe(401);
    const res = await fetch(`${root.url}/api/demo/.backstage/auth/v1/cookie`, {
      method: 'DELETE',
      headers: user,
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBe('backstage-auth=; Max-Age=0');
    expect(httpAuth.cookies).toEqual([{ type: 'none' }]);
  });
});

describe('httpRouterServiceFactory WebSocket handlers', () => {
  function echo(wss: WebSocketServer) {
    return ({ request, socket, head, credentials }: any) => {
      wss.handleUpgrade(request, socket, head, ws => {
        ws.send(JSON.stringify({ url: request.url, principal: credentials.principal }));
        ws.on('message', data => ws.send(String(data)));
      });
    };
  }

  function connect(url: string, headers?: Record<string, string>) {
    return new Promise<{ ws?: WebSocket; first?: unknown; status?: number; body?: string }>(
      resolve => {
        const ws = new WebSocket(url, { headers });
        ws.once('message', data => resolve({ ws, first: JSON.parse(String(data)) }));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        ws.once('error', () => {});
      },
    );
  }

  it('should authenticate upgrades and hand them to the handler with credentials', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    const wss = new WebSocketServer({ noServer: true });
    httpRouter.addWebSocketHandler({ path: '/live', handler: echo(wss) });
    const wsUrl = `ws://127.0.0.1:${root.port}/api/demo/live?x=1`;

    const ok = await connect(wsUrl, user);
    expect(ok.first).toEqual({
      url: '/api/demo/live?x=1',
      principal: { type: 'user', userEntityRef: 'user:default/alice' },
    });
    const reply = new Promise(resolve => ok.ws!.once('message', d => resolve(String(d))));
    ok.ws!.send('ping');
    expect(await reply).toBe('ping');
    ok.ws!.close();

    const denied = await connect(wsUrl);
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body!).error).toEqual({
      name: 'AuthenticationError',
      message: 'Missing credentials',
    });
    wss.close();
  });

  it('should let unauthenticated handlers through and refuse unknown paths', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');
    const wss = new WebSocketServer({ noServer: true });
    httpRouter.addWebSocketHandler({
      path: '/',
      handler: echo(wss),
      authPolicy: 'unauthenticated',
    });

    const open = await connect(`ws://127.0.0.1:${root.port}/api/demo`);
    expect(open.first).toEqual({ url: '/api/demo', principal: { type: 'none' } });
    open.ws!.close();
    expect((await connect(`ws://127.0.0.1:${root.port}/api/demo/other`)).status).toBe(404);
    wss.close();
  });

  it('should refuse a relative WebSocket path', async () => {
    const root = await start();
    const { httpRouter } = await addPlugin(root, 'demo');

    expect(() => httpRouter.addWebSocketHandler({ path: 'live', handler: () => {} })).toThrow(
      `addWebSocketHandler({ path: "live" }) of plugin 'demo': the path must start with '/' and be relative to the plugin ('/' for its base URL).`,
    );
  });
});
