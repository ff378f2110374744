import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import express from 'express';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { createTestKey, now, signToken, type TestKey } from './__fixtures__/keys';
import { startRuntimeBackend } from './__fixtures__/runtimeBackend';
import { USER_JWKS_PATH } from './UserTokenHandler';

/** A stand-in for an auth plugin: it only publishes the public key of `key` as its JWKS. */
function fakeAuthPlugin(key: TestKey) {
  return createBackendPlugin({
    pluginId: 'auth',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = express.Router();
          router.get(USER_JWKS_PATH, (_req, res) => {
            res.json({ keys: [key.publicJwk] });
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: USER_JWKS_PATH, allow: 'unauthenticated' });
        },
      });
    },
  });
}

/** Plugin a: `GET /call-b` calls b's `/whoami` through discovery, on behalf of its caller. */
const pluginA = createBackendPlugin({
  pluginId: 'a',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ httpRouter, httpAuth, auth, discovery }) {
        const router = express.Router();
        router.get('/call-b', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
            const onBehalfOf =
              req.query.as === 'self' ? await auth.getOwnServiceCredentials() : credentials;
            const { token } = await auth.getPluginRequestToken({ onBehalfOf, targetPluginId: 'b' });
            const response = await fetch(`${await discovery.getBaseUrl('b')}/whoami`, {
              headers: { authorization: `Bearer ${token}` },
            });
            res.status(response.status).json(await response.json());
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Plugin b: `GET /whoami` answers the principal and the user info it sees. */
const pluginB = createBackendPlugin({
  pluginId: 'b',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
      },
      async init({ httpRouter, httpAuth, userInfo }) {
        const router = express.Router();
        router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
            const user =
              credentials.principal.type === 'user'
                ? await userInfo.getUserInfo(credentials)
                : undefined;
            res.json({ principal: credentials.principal, user });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

describe('plugin to plugin calls on a real backend', () => {
  let server: Awaited<ReturnType<typeof startRuntimeBackend>>;
  let authKey: TestKey;

  beforeAll(async () => {
    authKey = await createTestKey();
    server = await startRuntimeBackend({
      config: {
        backend: {
          auth: {
            externalAccess: [{ type: 'static', options: { token: 'ci-token-123', subject: 'ci' } }],
          },
        },
      },
      features: [pluginA, pluginB, fakeAuthPlugin(authKey)],
    });
  });
  afterAll(() => server.stop());

  /** A user token as the auth plugin would issue it, signed with the key it publishes. */
  const signIn = (userEntityRef: string, ownershipEntityRefs = [userEntityRef]) =>
    signToken(
      authKey,
      { typ: 'vnd.backstage.user' },
      {
        iss: `${server.baseUrl}/api/auth`,
        aud: 'backstage',
        sub: userEntityRef,
        ent: ownershipEntityRefs,
        iat: now(),
        exp: now(3600),
      },
    );

  const callB = async (authorization: string, query = '') => {
    const response = await fetch(`${server.baseUrl}/api/a/call-b${query}`, {
      headers: { authorization },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('should show b the service principal plugin:a', async () => {
    await expect(callB('Bearer ci-token-123')).resolves.toEqual({
      status: 200,
      body: { principal: { type: 'service', subject: 'plugin:a' } },
    });
  });

  it('should show b the user when a calls on behalf of a signed-in user', async () => {
    const token = await signIn('user:default/alice', [
      'user:default/alice',
      'group:default/team-a',
    ]);
    await expect(callB(`Bearer ${token}`)).resolves.toEqual({
      status: 200,
      body: {
        principal: {
          type: 'user',
          userEntityRef: 'user:default/alice',
          actor: { type: 'service', subject: 'plugin:a' },
        },
        user: {
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
        },
      },
    });
  });

  it('should show b plugin:a when a calls as itself on a user request', async () => {
    const { body } = await callB(`Bearer ${await signIn('user:default/bob')}`, '?as=self');
    expect(body.principal).toEqual({ type: 'service', subject: 'plugin:a' });
  });
});
