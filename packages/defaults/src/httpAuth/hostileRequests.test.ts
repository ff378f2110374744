/**
 * The hostile-request suite: requests that must not reach a protected handler, each with the
 * status and error body the caller gets. The same table runs against two live servers:
 * - a real backend: the runtime with the default factories (rootHttpRouter, httpRouter, auth,
 *   httpAuth, database, discovery, …) started in this process;
 * - the auth test harness: the real `httpRouter` request handler and auth services on a bare
 *   Express server, which is quicker to debug.
 * Each server hosts plugin `target` with the routes and policies of `setUpTarget`; see
 * `__fixtures__/hostileServers.ts`. The cases are in `__fixtures__/*Cases.ts`.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createTestKey, hmacToken, now, signToken } from '../auth/__fixtures__/keys';
import { rawRequest, type RawResponse } from '../auth/__fixtures__/rawRequest';
import {
  badUser,
  EXPIRED,
  illegal,
  limitedToken,
  missing,
  mountTricks,
  NO_KEY,
  pluginClaims,
  PLUGIN,
  protectedPaths,
  USER,
  userClaims,
  type Expect,
} from './__fixtures__/hostileCases';
import { tokenCases } from './__fixtures__/allTokenCases';
import { hits, hostile, startHarness, startRuntime } from './__fixtures__/hostileServers';

function expectRejected(response: RawResponse, expected: Expect, method: string, url: string) {
  expect(response.status).toBe(expected.status);
  if (expected.name && method !== 'HEAD') {
    expect(response.json).toEqual({
      error: {
        name: expected.name,
        message: expected.message?.replace('<base>', hostile.server.baseUrl),
      },
      request: { method, url },
      response: { statusCode: expected.status },
    });
  }
  expect([...hits.values()].reduce((a, b) => a + b, 0)).toBe(0);
}

beforeAll(async () => {
  hostile.authKey = await createTestKey();
  hostile.forgerKey = await createTestKey();
  hostile.attackerKey = await createTestKey();
});

const PROTECTED_METHODS = ['HEAD', 'OPTIONS', 'POST', 'DELETE', 'PUT', 'PATCH'];

const cookieRouteCases = tokenCases.filter(c => c.onCookieRoute !== false);

const cookieCases: Array<[string, () => Promise<string>, string, Expect]> = [
  ['no cookie on the cookie route', async () => 'theme=dark', '/assets/app.js', missing],
  ['a garbage cookie', async () => 'backstage-auth=garbage', '/assets/app.js', illegal],
  [
    'an expired limited cookie',
    async () =>
      `backstage-auth=${await limitedToken(hostile.authKey, { iat: now(-7200), exp: now(-3600) })}`,
    '/assets/app.js',
    badUser(EXPIRED, 'limited user token'),
  ],
  [
    'a forged limited cookie',
    async () => `backstage-auth=${await limitedToken(hostile.attackerKey)}`,
    '/assets/app.js',
    badUser(NO_KEY, 'limited user token'),
  ],
  [
    'a look-alike cookie name',
    async () => `backstage-auth2=${await limitedToken(hostile.authKey)}`,
    '/assets/app.js',
    missing,
  ],
  [
    'a valid limited cookie on a protected route',
    async () => `backstage-auth=${await limitedToken(hostile.authKey)}`,
    '/protected',
    missing,
  ],
  [
    'a static token as a cookie',
    async () => 'backstage-auth=static-ok-token',
    '/protected',
    missing,
  ],
];

/** Credentials that are valid but of a type the route does not allow: [name, authorization, type]. */
const disallowedPrincipalCases: Array<[string, string, string]> = [
  ['a service on a users-only route', 'Bearer static-ok-token', 'service'],
];

/**
 * Each server comes with the `req.url` that plugin `target` sees for `/api/target//protected`:
 * an Express mount strips '/api/target/' and leaves '/protected'; the default root router keeps
 * '//protected'.
 */
describe.each([
  ['a real backend', startRuntime, '//protected'],
  ['the auth test harness', startHarness, '/protected'],
])('hostile requests against %s', (_server, startServer, doubleSlashUrl) => {
  beforeAll(async () => {
    hostile.server = await startServer();
  });
  afterAll(async () => {
    await hostile.server.close();
  });
  beforeEach(() => hits.clear());

  describe('bad credentials on a protected route', () => {
    it.each(tokenCases.map(c => [c.name, c] as const))('should refuse %s', async (_name, c) => {
      const authorization = await c.authorization();
      const headers = authorization === undefined ? undefined : { authorization };
      const response = await rawRequest(hostile.server.baseUrl, {
        path: '/api/target/protected',
        headers,
      });
      expectRejected(response, c.expect, 'GET', '/protected');
    });
  });

  describe('bad credentials on a user-cookie route', () => {
    it.each(cookieRouteCases.map(c => [c.name, c] as const))(
      'should refuse %s',
      async (_name, c) => {
        const authorization = await c.authorization();
        const headers = authorization === undefined ? undefined : { authorization };
        const response = await rawRequest(hostile.server.baseUrl, {
          path: '/api/target/assets/app.js',
          headers,
        });
        expectRejected(response, c.expect, 'GET', '/assets/app.js');
      },
    );
  });

  describe('bad cookies', () => {
    it.each(cookieCases)('should refuse %s', async (_name, cookie, path, expected) => {
      const response = await rawRequest(hostile.server.baseUrl, {
        path: `/api/target${path}`,
        headers: { cookie: await cookie() },
      });
      expectRejected(response, expected, 'GET', path);
    });
  });

  describe('auth policy path tricks', () => {
    it.each(protectedPaths)('should protect %j', async path => {
      const response = await rawRequest(hostile.server.baseUrl, { path: `/api/target${path}` });
      // The error body reports the URL the plugin's router saw; the handler is never reached.
      const seen = path === '//protected' ? doubleSlashUrl : path || '/';
      expect(response.json?.request?.url).toBe(seen);
      expectRejected(response, missing, 'GET', seen);
    });

    it.each(PROTECTED_METHODS)('should protect %s /protected', async method => {
      const response = await rawRequest(hostile.server.baseUrl, {
        method,
        path: '/api/target/protected',
      });
      expectRejected(response, missing, method, '/protected');
    });

    it.each(mountTricks)('should protect $path', async ({ path, expectUrl }) => {
      const response = await rawRequest(hostile.server.baseUrl, { path });
      expectRejected(response, missing, 'GET', expectUrl);
    });
  });

  describe('principal types a route does not allow', () => {
    it.each(disallowedPrincipalCases)(
      'should answer 403 naming the type to %s',
      async (_name, authorization, type) => {
        hits.clear();
        const response = await rawRequest(hostile.server.baseUrl, {
          path: '/api/target/users-only',
          headers: { authorization },
        });
        expect(response.status).toBe(403);
        expect(response.json.error).toEqual({
          name: 'NotAllowedError',
          message: `This endpoint does not allow '${type}' credentials`,
        });
        expect(hits.size).toBe(0);
      },
    );
  });

  describe('the same server lets legitimate requests through', () => {
    const reach = async (path: string, headers?: Record<string, string>, method = 'GET') => {
      const response = await rawRequest(hostile.server.baseUrl, {
        method,
        path: `/api/target${path}`,
        headers,
      });
      return response;
    };

    it.each([
      ['/public', 'public'],
      ['/public/', 'public'],
      ['/public?next=/protected', 'public'],
      ['/health', 'health'],
    ])('should open %s without credentials', async (path, name) => {
      const response = await reach(path);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ reached: name });
    });

    it('should answer HEAD and OPTIONS on an open path', async () => {
      expect((await reach('/public', undefined, 'HEAD')).status).toBe(200);
      expect((await reach('/public', undefined, 'OPTIONS')).status).toBe(200);
    });

    it.each([
      ['a static token', () => 'Bearer static-ok-token'],
      [
        'a legacy token',
        async () =>
          `Bearer ${await hmacToken('legacy shared secret 0123456789', {}, { sub: 'backstage-server', exp: now(60) })}`,
      ],
      [
        'a plugin token',
        async () => `Bearer ${await signToken(hostile.forgerKey, PLUGIN, pluginClaims())}`,
      ],
      [
        'a real plugin token',
        async () => `Bearer ${await hostile.server.callerTokenFor('target')}`,
      ],
      [
        'a user token',
        async () => `Bearer ${await signToken(hostile.authKey, USER, userClaims())}`,
      ],
    ])('should let %s reach /protected', async (_name, authorization) => {
      const response = await reach('/protected', { authorization: await authorization() });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ reached: 'protected' });
    });

    it('should let a limited cookie reach the user-cookie route', async () => {
      const response = await reach('/assets/app.js', {
        cookie: `backstage-auth=${await limitedToken(hostile.authKey)}`,
      });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ reached: 'assets' });
    });
  });

  it('should have at least 100 hostile cases', () => {
    const caseLists = [
      tokenCases,
      cookieRouteCases,
      cookieCases,
      protectedPaths,
      PROTECTED_METHODS,
      mountTricks,
      disallowedPrincipalCases,
    ];
    const total = caseLists.reduce((sum, list) => sum + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(100);
  });
});
