import { beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import type { AuthService } from '@backplane/plugin-api';
import { authServiceFactory } from '@backplane/defaults/auth';
import { httpAuthServiceFactory } from '@backplane/defaults/httpAuth';
import { userInfoServiceFactory } from '@backplane/defaults/userInfo';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backplane/test-utils';
import { createAuthDevPlugin } from './plugin';

/**
 * The default auth services, which verify the real tokens this plugin issues; the test backend's
 * own auth mocks accept mock tokens only.
 */
const realAuthServices = [authServiceFactory, httpAuthServiceFactory, userInfoServiceFactory];

const allowedByConfig = mockServices.rootConfig.factory({
  data: { auth: { dev: { allow: true } } },
});

const baseUrlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Plugin `a`: no routes; hands its auth service to the test. */
function pluginA(onAuth: (auth: AuthService) => void) {
  return createBackendPlugin({
    pluginId: 'a',
    register(reg) {
      reg.registerInit({
        deps: { auth: coreServices.auth },
        async init({ auth }) {
          onAuth(auth);
        },
      });
    },
  });
}

/** Plugin `b`: `GET /whoami` answers the user principal of the request and its user info. */
const pluginB = createBackendPlugin({
  pluginId: 'b',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
      },
      async init({ httpRouter, httpAuth, userInfo }) {
        const router = express.Router();
        router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user'] });
            const info = await userInfo.getUserInfo(credentials);
            res.json({ principal: credentials.principal, info });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

describe('auth-dev-backend', () => {
  describe('outside development', () => {
    it.each(['/api/auth/dev/token?user=alice', '/api/auth/guest/refresh'])(
      'should refuse %s with 403 naming the config key',
      async path => {
        const { server } = await startTestBackend({
          features: [createAuthDevPlugin({ nodeEnv: 'production' })],
        });

        const response = await request(server)
          .get(path)
          .set('Authorization', mockCredentials.none.header());

        expect(response.status).toBe(403);
        expect(response.body.error).toEqual({
          name: 'NotAllowedError',
          message:
            "Dev sign-in is refused because NODE_ENV is 'production', not 'development'; set 'auth.dev.allow: true' in app-config to allow it anyway (never on a shared or public backend)",
        });
      },
    );

    it('should still publish its keys', async () => {
      const { server } = await startTestBackend({
        features: [createAuthDevPlugin({ nodeEnv: 'production' })],
      });

      await request(server)
        .get('/api/auth/.well-known/jwks.json')
        .set('Authorization', mockCredentials.none.header())
        .expect(200, { keys: [] });
    });
  });

  describe('in development', () => {
    it('should issue a guest token in the shape of the official guest provider', async () => {
      const { server } = await startTestBackend({
        features: [createAuthDevPlugin({ nodeEnv: 'development' })],
      });

      const { status, body } = await request(server)
        .get('/api/auth/guest/refresh')
        .set('Authorization', mockCredentials.none.header());

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
        iss: `${baseUrlOf(server)}/api/auth`,
        aud: 'backstage',
        sub: 'user:development/guest',
        ent: ['user:development/guest'],
        uip: expect.any(String),
      });
      const jwks = await request(server).get('/api/auth/.well-known/jwks.json');
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toContain(
        decodeProtectedHeader(token).kid,
      );
    });
  });

  describe('allowed by config', () => {
    let server: Server;
    let authOfA: AuthService;

    beforeAll(async () => {
      ({ server } = await startTestBackend({
        features: [
          createAuthDevPlugin({ nodeEnv: 'production' }),
          pluginA(auth => void (authOfA = auth)),
          pluginB,
          allowedByConfig,
          ...realAuthServices,
        ],
      }));
    });

    const devToken = async (query: string) =>
      (await request(server).get(`/api/auth/dev/token?${query}`)).body;

    it('should issue a token for a named user that every plugin accepts', async () => {
      const issued = await devToken('user=alice&ent=group:default/team-a');
      expect(issued).toEqual({
        token: expect.any(String),
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
        expiresAt: expect.any(String),
      });
      const credentials = await authOfA.authenticate(issued.token);
      expect(credentials.principal).toEqual({ type: 'user', userEntityRef: 'user:default/alice' });

      const { body } = await request(server)
        .get('/api/b/whoami')
        .set('Authorization', `Bearer ${issued.token}`);
      expect(body.info).toEqual({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
      });
    });

    it('should let plugin b see the user, and look up ownership, when a calls on the user behalf', async () => {
      const issued = await devToken('user=user:default/carol&ent=group:default/ops');
      const { token } = await authOfA.getPluginRequestToken({
        onBehalfOf: await authOfA.authenticate(issued.token),
        targetPluginId: 'b',
      });

      const { status, body } = await request(server)
        .get('/api/b/whoami')
        .set('Authorization', `Bearer ${token}`);

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
      const credentials = await authOfA.authenticate(issued.token);
      const limited = await authOfA.getLimitedUserToken(credentials as never);

      const ok = await request(server)
        .get('/api/auth/v1/userinfo')
        .set('Authorization', `Bearer ${limited.token}`);
      expect(ok.body).toEqual({ claims: { sub: 'user:default/dave', ent: ['user:default/dave'] } });

      const missing = await request(server).get('/api/auth/v1/userinfo');
      expect(missing.status).toBe(401);
      const service = await request(server)
        .get('/api/auth/v1/userinfo')
        .set('Authorization', 'Bearer x.y.z');
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
      const { status, body } = await request(server).get(`/api/auth/dev/token?${query}`);
      expect(status).toBe(400);
      expect(body.error).toEqual({ name: 'InputError', message });
    });
  });

  describe('across a restart', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

    it('should keep tokens valid across a restart on the same database', async () => {
      const knex = await databases.init('SQLITE_3');
      const features = [
        createAuthDevPlugin(),
        allowedByConfig,
        mockServices.database.factory({ knex }),
      ];

      const first = await startTestBackend({ features });
      const { body } = await request(first.server).get('/api/auth/dev/token?user=erin');
      await first.stop();
      expect(body.userEntityRef).toBe('user:default/erin');

      const second = await startTestBackend({ features });
      // The issuer is the external URL of the first instance, so only key continuity is checked.
      const jwks = await request(second.server).get('/api/auth/.well-known/jwks.json');
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toContain(
        decodeProtectedHeader(body.token).kid,
      );
    });
  });
});
