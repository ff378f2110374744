import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoServer, type FakeServer } from './harness/fakeServer';
import { rawGet } from './harness/rawRequest';
import { SERVICE_TOKEN, startBackplane, type StartedBackend } from './harness/startBackplane';
import { startOfficial } from './harness/startOfficial';
import { readJson } from './harness/readJson';

describe('@backstage/plugin-proxy-backend on Backplane', () => {
  let echo: FakeServer;
  let backend: StartedBackend;

  beforeAll(async () => {
    echo = await startEchoServer();
    backend = await startBackplane({
      features: [import('@backstage/plugin-proxy-backend')],
      config: {
        proxy: {
          endpoints: {
            '/open': { target: echo.url, credentials: 'dangerously-allow-unauthenticated' },
            '/secure': echo.url,
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await echo?.close();
  });

  it('should proxy an open endpoint without credentials, rewriting the path', async () => {
    const response = await backend.request('/api/proxy/open/hello?x=1');

    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ method: 'GET', path: '/hello?x=1' });
  });

  it('should refuse a protected endpoint without credentials with 401', async () => {
    const before = echo.requests.length;
    const response = await backend.request('/api/proxy/secure/hello');

    expect(response.status).toBe(401);
    expect(echo.requests).toHaveLength(before);
  });

  it('should proxy a protected endpoint with a token and not forward the authorization header', async () => {
    const response = await backend.request('/api/proxy/secure/hello', { token: true });

    expect(response.status).toBe(200);
    const echoed = await readJson(response);
    expect(echoed.path).toBe('/hello');
    expect(echoed.headers).not.toHaveProperty('authorization');
  });

  it('should stream a request body to the target byte for byte', async () => {
    const body = JSON.stringify({ name: 'smoke', nested: { list: [1, 2, 3] }, text: 'é ü 漢' });
    const response = await backend.request('/api/proxy/open/body', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ method: 'POST', path: '/body', body });
  });

  it('should reject an encoded parent-directory segment with 400', async () => {
    const before = echo.requests.length;
    const response = await rawGet(backend.port, '/api/proxy/open/a/%2e%2e/b', {
      authorization: `Bearer ${SERVICE_TOKEN}`,
    });

    expect(response.status).toBe(400);
    expect(echo.requests).toHaveLength(before);
  });

  it('should judge a dot-segment path protected even under an open endpoint', async () => {
    // Backplane's credentials barrier opens only canonical paths; the official one lets this
    // through to the proxy, which answers 400 (checked below). Either way nothing reaches the target.
    const before = echo.requests.length;
    const response = await rawGet(backend.port, '/api/proxy/open/a/%2e%2e/b');

    expect(response.status).toBe(401);
    expect(echo.requests).toHaveLength(before);
  });
});

describe('@backstage/plugin-proxy-backend on the official runtime', () => {
  let echo: FakeServer;
  let backend: Awaited<ReturnType<typeof startOfficial>>;

  beforeAll(async () => {
    echo = await startEchoServer();
    backend = await startOfficial({
      features: [import('@backstage/plugin-proxy-backend')],
      config: {
        proxy: {
          endpoints: {
            '/open': { target: echo.url, credentials: 'dangerously-allow-unauthenticated' },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await echo?.close();
  });

  it('should let a dot-segment path under an open endpoint through to the proxy, which answers 400', async () => {
    // The reference behaviour that docs/compatibility.md contrasts with Backplane's 401.
    const response = await rawGet(backend.port, '/api/proxy/open/a/%2e%2e/b');

    expect(response.status).toBe(400);
    expect(echo.requests).toHaveLength(0);
  });
});
