import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TestBackend } from '../../../packages/defaults/src/auth/__fixtures__/testBackend';
import { createTestDatabase } from '../../../packages/defaults/src/auth/__fixtures__/services';
import { DefaultUserInfoService } from '../../../packages/defaults/src/userInfo/DefaultUserInfoService';
import { createAuthDevPlugin } from './plugin';

async function get(backend: TestBackend, path: string, headers?: Record<string, string>) {
  const response = await fetch(`${backend.baseUrl}${path}`, { headers });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

describe('auth-dev-backend', () => {
  describe('outside development', () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await TestBackend.start();
      await backend.addFeature(createAuthDevPlugin({ nodeEnv: 'production' }));
    });
    afterAll(() => backend.close());

    it.each(['/api/auth/dev/token?user=alice', '/api/auth/guest/refresh'])(
      'should refuse %s with 403 naming the config key',
      async path => {
        const { status, body } = await get(backend, path);
        expect(status).toBe(403);
        expect(body.error).toEqual({
          name: 'NotAllowedError',
          message:
            "Dev sign-in is refused because NODE_ENV is 'production', not 'development'; set 'auth.dev.allow: true' in app-config to allow it anyway (never on a shared or public backend)",
        });
      },
    );

    it('should still publish its keys', async () => {
      const { status, body } = await get(backend, '/api/auth/.well-known/jwks.json');
      expect(status).toBe(200);
      expect(body).toEqual({ keys: [] });
    });
  });

  describe('in development', () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await TestBackend.start();
      await backend.addFeature(createAuthDevPlugin({ nodeEnv: 'development' }));
      await backend.addPlugin('a', () => {});
      await backend.addPlugin('b', () => {});
    });
    afterAll(() => backend.close());

    it('should issue a guest token in the shape of the official guest provider', async () => {
      const { status, body } = await get(backend, '/api/auth/guest/refresh');
      expect(status).toBe(200);
      expect(body).toEqual({
        profile: {},
        backstageIdentity: {
          token: expect.any(String),
          expiresInSeconds: expect.any(Number),
          identity: {
            type: 'user',
            userEntityRef: 'user:development/guest',
            ownershipEntityRefs: ['user:development/guest'],
          },
        },
      });
      expect(body.backstageIdentity.expiresInSeconds).toBeGreaterThanOrEqual(3599);
      expect(body.backstageIdentity.expiresInSeconds).toBeLessThanOrEqual(3600);
      const token = body.backstageIdentity.token;
      expect(decodeProtectedHeader(token)).toMatchObject({
        typ: 'vnd.backstage.user',
        alg: 'ES256',
      });
      expect(decodeJwt(token)).toMatchObject({
        iss: `${backend.baseUrl}/api/auth`,
        aud: 'backstage',
        sub: 'user:development/guest',
        ent: ['user:development/guest'],
        uip: expect.any(String),
      });
      const jwks = await get(backend, '/api/auth/.well-known/jwks.json');
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toContain(
        decodeProtectedHeader(token).kid,
      );
    });
  });

  describe('allowed by config', () => {
    let backend: TestBackend;
    const database = createTestDatabase();

    beforeAll(async () => {
      backend = await TestBackend.start({ config: { auth: { dev: { allow: true } } } });
      const plugin = createAuthDevPlugin({ nodeEnv: 'production' });
      await backend.addFeature(plugin);
      await backend.addPlugin('a', () => {});
      await backend.addPlugin('b', p => {
        p.router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await p.httpAuth.credentials(req, { allow: ['user'] });
            const info = await new DefaultUserInfoService({
              discovery: backend.discovery,
            }).getUserInfo(credentials);
            res.json({ principal: credentials.principal, info });
          } catch (error) {
            next(error);
          }
        });
      });
    });
    afterAll(async () => {
      await backend.close();
      await database.knex.destroy();
    });

    const devToken = async (query: string) =>
      (await get(backend, `/api/auth/dev/token?${query}`)).body;

    it('should issue a token for a named user that every plugin accepts', async () => {
      const issued = await devToken('user=alice&ent=group:default/team-a');
      expect(issued).toEqual({
        token: expect.any(String),
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
        expiresAt: expect.any(String),
      });
      const credentials = await backend.plugins.get('a')!.auth.authenticate(issued.token);
      expect(credentials.principal).toEqual({ type: 'user', userEntityRef: 'user:default/alice' });

      const { body } = await get(backend, '/api/b/whoami', {
        authorization: `Bearer ${issued.token}`,
      });
      expect(body.info).toEqual({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
      });
    });

    it('should let plugin b see the user, and look up ownership, when a calls on the user behalf', async () => {
      const issued = await devToken('user=user:default/carol&ent=group:default/ops');
      const a = backend.plugins.get('a')!.auth;
      const { token } = await a.getPluginRequestToken({
        onBehalfOf: await a.authenticate(issued.token),
        targetPluginId: 'b',
      });
      const { status, body } = await get(backend, '/api/b/whoami', {
        authorization: `Bearer ${token}`,
      });
      expect(status).toBe(200);
      expect(body).toEqual({
        principal: {
          type: 'user',
          userEntityRef: 'user:default/carol',
          actor: { type: 'service', subject: 'plugin:a' },
        },
        info: {
          userEntityRef: 'user:default/carol',
          ownershipEntityRefs: ['user:default/carol', 'group:default/ops'],
        },
      });
    });

    it('should answer /v1/userinfo for a limited token and refuse other tokens', async () => {
      const issued = await devToken('user=dave');
      const credentials = await backend.plugins.get('a')!.auth.authenticate(issued.token);
      const limited = await backend.plugins
        .get('a')!
        .auth.getLimitedUserToken(credentials as never);
      const ok = await get(backend, '/api/auth/v1/userinfo', {
        authorization: `Bearer ${limited.token}`,
      });
      expect(ok.body).toEqual({ claims: { sub: 'user:default/dave', ent: ['user:default/dave'] } });

      const missing = await get(backend, '/api/auth/v1/userinfo');
      expect(missing.status).toBe(401);
      const service = await get(backend, '/api/auth/v1/userinfo', {
        authorization: 'Bearer x.y.z',
      });
      expect(service.status).toBe(401);
    });

    it.each([
      ['', "Query parameter 'user' is required, e.g. ?user=alice or ?user=user:default/alice"],
      [
        'user=../admin',
        "Query parameter 'user' must be a user name like 'alice' or a user entity ref like 'user:default/alice', got '../admin'",
      ],
      [
        'user=alice&ent=nope',
        "Query parameter 'ent' must be an entity ref like 'group:default/team-a', got 'nope'",
      ],
    ])('should reject %j with 400', async (query, message) => {
      const { status, body } = await get(backend, `/api/auth/dev/token?${query}`);
      expect(status).toBe(400);
      expect(body.error).toEqual({ name: 'InputError', message });
    });
  });

  it('should keep tokens valid across a restart on the same database', async () => {
    const shared = createTestDatabase();
    const first = await TestBackend.start({ config: { auth: { dev: { allow: true } } } });
    const firstAuth = await first.addFeature(createAuthDevPlugin(), { database: shared });
    const { body } = await get(first, '/api/auth/dev/token?user=erin');
    await first.close();
    expect(firstAuth.pluginId).toBe('auth');

    const second = await TestBackend.start({ config: { auth: { dev: { allow: true } } } });
    await second.addFeature(createAuthDevPlugin(), { database: shared });
    await second.addPlugin('a', () => {});
    // The issuer is the external URL of the first instance, so only key continuity is checked here.
    const jwks = await get(second, '/api/auth/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toContain(
      decodeProtectedHeader(body.token).kid,
    );
    await second.close();
    await shared.knex.destroy();
  });
});
