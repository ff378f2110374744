import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CompactSign, decodeProtectedHeader } from 'jose';
import type { AuthService, BackstageCredentials } from '@backplane/plugin-api';
import { createTestKey, now, signToken, type TestKey } from '../auth/__fixtures__/keys';
import { rawRequest } from '../auth/__fixtures__/rawRequest';
import { createTestDiscovery } from '../auth/__fixtures__/services';
import { TestBackend } from '../auth/__fixtures__/testBackend';
import { createServiceCredentials, createUserCredentials } from '../auth/credentials';
import { DefaultHttpAuthService, getBearerToken } from './DefaultHttpAuthService';

async function userToken(key: TestKey, issuer: string, sub = 'user:default/alice') {
  const iat = now();
  const exp = iat + 3600;
  const proof = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sub, iat, exp })))
    .setProtectedHeader({ typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: key.kid })
    .sign(key.privateKey);
  return signToken(
    key,
    { typ: 'vnd.backstage.user' },
    { iss: issuer, sub, aud: 'backstage', iat, exp, uip: proof.split('.')[2] },
  );
}

function fakeRequest(headers: Record<string, string> = {}) {
  return { headers } as never;
}

describe('getBearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Basic abc', undefined],
  ])('should read %j as %j', (header, token) => {
    expect(getBearerToken({ headers: { authorization: header } })).toBe(token);
  });
});

describe('DefaultHttpAuthService', () => {
  const discovery = createTestDiscovery(() => 'http://localhost:7007');

  function countingAuth(result: BackstageCredentials) {
    const calls: Array<[string, unknown]> = [];
    const auth = {
      authenticate: async (token: string, options?: unknown) => {
        calls.push([token, options]);
        return result;
      },
      getNoneCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        version: 'v1',
        principal: { type: 'none' },
      }),
      isPrincipal: (c: BackstageCredentials, type: string) =>
        (c.principal as { type: string }).type === type,
    } as unknown as AuthService;
    return { auth, calls };
  }

  it('should verify the token of a request once, however often credentials are asked for', async () => {
    const { auth, calls } = countingAuth(createServiceCredentials('plugin:a'));
    const httpAuth = new DefaultHttpAuthService({ auth, discovery, pluginId: 'target' });
    const req = fakeRequest({ authorization: 'Bearer tok' });
    await httpAuth.credentials(req, { allow: ['service'] });
    await httpAuth.credentials(req);
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    expect(calls).toEqual([['tok', undefined]]);
  });

  it('should read the cookie only when limited access is allowed', async () => {
    const { auth, calls } = countingAuth(createServiceCredentials('x'));
    const httpAuth = new DefaultHttpAuthService({ auth, discovery, pluginId: 'target' });
    const req = fakeRequest({ cookie: 'a=1; backstage-auth=cookie-token' });
    const none = await httpAuth.credentials(req);
    expect(none.principal).toEqual({ type: 'none' });
    await httpAuth.credentials(req, { allowLimitedAccess: true });
    expect(calls).toEqual([['cookie-token', { allowLimitedAccess: true }]]);
  });

  it('should prefer the Authorization header over the cookie', async () => {
    const { auth, calls } = countingAuth(createServiceCredentials('x'));
    const httpAuth = new DefaultHttpAuthService({ auth, discovery, pluginId: 'target' });
    await httpAuth.credentials(
      fakeRequest({ authorization: 'Bearer header', cookie: 'backstage-auth=cookie' }),
      { allowLimitedAccess: true },
    );
    expect(calls[0][0]).toBe('header');
  });

  it.each([
    [['user'], 'service', 403, "This endpoint does not allow 'service' credentials"],
    [['service'], 'user', 403, "This endpoint does not allow 'user' credentials"],
    [['user', 'service'], 'none', 401, 'Missing credentials'],
  ] as const)(
    'should refuse when allow is %j and the principal is %s',
    async (allow, type, status, message) => {
      const credentials =
        type === 'user'
          ? createUserCredentials({ userEntityRef: 'user:default/a', token: 't' })
          : createServiceCredentials('s');
      const { auth } = countingAuth(credentials);
      const httpAuth = new DefaultHttpAuthService({ auth, discovery, pluginId: 'target' });
      const req = fakeRequest(type === 'none' ? {} : { authorization: 'Bearer t' });
      const error = await httpAuth.credentials(req, { allow: [...allow] }).catch(e => e);
      expect(error.name).toBe(status === 401 ? 'AuthenticationError' : 'NotAllowedError');
      expect(error.message).toBe(message);
    },
  );

  it("should let 'none' through when allowed", async () => {
    const { auth } = countingAuth(createServiceCredentials('s'));
    const httpAuth = new DefaultHttpAuthService({ auth, discovery, pluginId: 'target' });
    const credentials = await httpAuth.credentials(fakeRequest(), { allow: ['none'] });
    expect(credentials.principal).toEqual({ type: 'none' });
  });

  describe('user cookie', () => {
    let backend: TestBackend;
    let authKey: TestKey;

    beforeAll(async () => {
      backend = await TestBackend.start();
      authKey = await createTestKey();
      backend.addKeyPublisher('auth', [authKey]);
      await backend.addPlugin('target', plugin => {
        plugin.router.get('/assets/:file', (_req, res) => {
          res.json({ ok: true });
        });
        plugin.router.post('/sign-in', async (req, res, next) => {
          try {
            const credentials = await plugin.httpAuth.credentials(req, { allow: ['user'] });
            const { expiresAt } = await plugin.httpAuth.issueUserCookie(res, { credentials });
            res.json({ expiresAt });
          } catch (error) {
            next(error);
          }
        });
        plugin.addAuthPolicy({ path: '/assets', allow: 'user-cookie' });
      });
    });
    afterAll(() => backend.close());

    it('should issue a limited token cookie scoped to the plugin path through the cookie endpoint', async () => {
      const token = await userToken(authKey, `${backend.baseUrl}/api/auth`);
      const response = await rawRequest(backend.baseUrl, {
        path: '/api/target/.backstage/auth/v1/cookie',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const [cookie] = response.headers['set-cookie'] as string[];
      const value = /^backstage-auth=([^;]+);/.exec(cookie)![1];
      expect(decodeProtectedHeader(value).typ).toBe('vnd.backstage.limited-user');
      expect(cookie).toContain('Domain=127.0.0.1');
      expect(cookie).toContain('Path=/api/target');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).not.toContain('Secure');
      expect(new Date(response.json.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3500_000);

      const asset = await rawRequest(backend.baseUrl, {
        path: '/api/target/assets/app.js',
        headers: { cookie: `backstage-auth=${value}` },
      });
      expect(asset.json).toEqual({ ok: true });
    });

    it('should refuse to issue a cookie to a service', async () => {
      const response = await rawRequest(backend.baseUrl, {
        path: '/api/target/.backstage/auth/v1/cookie',
        headers: { authorization: 'Bearer nope' },
      });
      expect(response.status).toBe(401);
    });

    it('should keep a cookie that is far from expiry and clear it for none credentials', async () => {
      const token = await userToken(authKey, `${backend.baseUrl}/api/auth`);
      const first = await rawRequest(backend.baseUrl, {
        method: 'POST',
        path: '/api/target/sign-in',
        headers: { authorization: `Bearer ${token}` },
      });
      const cookie = (first.headers['set-cookie'] as string[])[0].split(';')[0];
      const again = await rawRequest(backend.baseUrl, {
        method: 'POST',
        path: '/api/target/sign-in',
        headers: { authorization: `Bearer ${token}`, cookie },
      });
      expect(again.headers['set-cookie']).toBeUndefined();
      expect(again.json.expiresAt).toBe(first.json.expiresAt);

      const cleared = await rawRequest(backend.baseUrl, {
        method: 'DELETE',
        path: '/api/target/.backstage/auth/v1/cookie',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(cleared.status).toBe(204);
      expect((cleared.headers['set-cookie'] as string[])[0]).toMatch(
        /^backstage-auth=; Domain=127\.0\.0\.1; Path=\/api\/target; Expires=Thu, 01 Jan 1970/,
      );
    });

    it('should make the cookie Secure with SameSite=None on https and localhost', async () => {
      const plugin = backend.plugins.get('target')!;
      const httpAuth = new DefaultHttpAuthService({
        auth: plugin.auth,
        discovery: createTestDiscovery(
          () => backend.baseUrl,
          () => 'https://backstage.example.com',
        ),
        pluginId: 'target',
      });
      const token = await userToken(authKey, `${backend.baseUrl}/api/auth`);
      const credentials = await plugin.auth.authenticate(token);
      const cookies: Array<[string, string, Record<string, unknown>]> = [];
      const res = {
        headersSent: false,
        req: fakeRequest(),
        cookie: (name: string, value: string, options: Record<string, unknown>) =>
          cookies.push([name, value, options]),
      } as never;
      await httpAuth.issueUserCookie(res, { credentials });
      expect(cookies[0][2]).toMatchObject({
        domain: 'backstage.example.com',
        path: '/api/target',
        secure: true,
        sameSite: 'none',
        httpOnly: true,
      });
    });
  });
});
