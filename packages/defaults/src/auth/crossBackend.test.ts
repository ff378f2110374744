import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import express from 'express';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type JsonObject,
  type LoggerService,
} from '@backplane/plugin-api';
import { createTestKey, now, signToken, type TestKey } from './__fixtures__/keys';
import { startRuntimeBackend } from './__fixtures__/runtimeBackend';
import { USER_JWKS_PATH } from './UserTokenHandler';

type LogLine = { level: string; message: string; meta: Record<string, unknown> };

/** A root logger that records warnings and errors, with the fields of its child loggers. */
function capturingRootLogger(lines: LogLine[]) {
  const make = (fields: JsonObject): LoggerService => {
    const record = (level: string) => (message: string, meta?: unknown) => {
      lines.push({ level, message, meta: { ...fields, error: meta } });
    };
    return {
      error: record('error'),
      warn: record('warn'),
      info: () => {},
      debug: () => {},
      child: meta => make({ ...fields, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}

/** Backend A's plugin 'probe': `GET /call` calls plugin 'target' on backend B. */
const probePlugin = createBackendPlugin({
  pluginId: 'probe',
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
        router.get('/call', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf:
                req.query.as === 'user' ? credentials : await auth.getOwnServiceCredentials(),
              targetPluginId: 'target',
            });
            const response = await fetch(`${await discovery.getBaseUrl('target')}/whoami`, {
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

/** Backend B's plugin 'target': `GET /whoami` answers the principal it sees. */
const targetPlugin = createBackendPlugin({
  pluginId: 'target',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
            res.json({ principal: credentials.principal });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Backend A's stand-in auth plugin: it only publishes the public key of `key`. */
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

describe('tokens from plugins on another backend', () => {
  const logsOfB: LogLine[] = [];
  let backendA: Awaited<ReturnType<typeof startRuntimeBackend>>;
  let backendB: Awaited<ReturnType<typeof startRuntimeBackend>>;
  let authKey: TestKey;

  beforeAll(async () => {
    authKey = await createTestKey();
    // B hosts 'target' and lists neither 'probe' nor 'auth' under discovery.endpoints.
    backendB = await startRuntimeBackend({
      features: [targetPlugin, capturingRootLogger(logsOfB)],
    });
    backendA = await startRuntimeBackend({
      config: {
        discovery: {
          endpoints: [{ target: `${backendB.baseUrl}/api/{{pluginId}}`, plugins: ['target'] }],
        },
        backend: {
          auth: {
            externalAccess: [{ type: 'static', options: { token: 'ci-token-123', subject: 'ci' } }],
          },
        },
      },
      features: [probePlugin, fakeAuthPlugin(authKey)],
    });
  });
  afterAll(async () => {
    await backendA?.stop();
    await backendB?.stop();
  });
  beforeEach(() => {
    logsOfB.length = 0;
  });

  const keyWarnings = () =>
    logsOfB.filter(line => line.level === 'warn' && line.message.includes('public keys'));

  it('should answer a short 401 and warn once on B when B cannot find the caller', async () => {
    const call = async () => {
      const response = await fetch(`${backendA.baseUrl}/api/probe/call`, {
        headers: { authorization: 'Bearer ci-token-123' },
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    const { status, body } = await call();
    expect(status).toBe(401);
    expect(body.error).toEqual({
      name: 'AuthenticationError',
      message: "Invalid plugin token from plugin 'probe'",
    });
    expect(JSON.stringify(body)).not.toContain('jwks');
    expect(JSON.stringify(body)).not.toContain('caused by');

    expect(keyWarnings()).toHaveLength(1);
    const [warning] = keyWarnings();
    expect(warning.meta.plugin).toBe('target');
    expect(warning.message).toContain(
      "plugin 'probe' is not hosted on this backend; list it under 'discovery.endpoints' " +
        'with the URL of the backend that hosts it',
    );
    expect(warning.message).toContain(
      `'${backendB.baseUrl}/api/probe/.backstage/auth/v1/jwks.json': HTTP 404`,
    );
    expect((warning.meta.error as Error).name).toBe('JwksFetchError');

    // Many more failing requests log nothing more.
    for (let i = 0; i < 3; i++) {
      await new Promise(resolve => setTimeout(resolve, 400));
      expect((await call()).status).toBe(401);
    }
    expect(keyWarnings()).toHaveLength(1);
  });

  it("should do the same for user tokens whose 'auth' plugin B cannot find", async () => {
    const token = await signToken(
      authKey,
      { typ: 'vnd.backstage.user' },
      {
        iss: `${backendA.baseUrl}/api/auth`,
        aud: 'backstage',
        sub: 'user:default/alice',
        ent: ['user:default/alice'],
        iat: now(),
        exp: now(3600),
      },
    );
    const response = await fetch(`${backendB.baseUrl}/api/target/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(401);
    expect(body.error.message).toBe('Invalid user token');

    expect(keyWarnings()).toHaveLength(1);
    expect(keyWarnings()[0].message).toContain(
      "plugin 'auth' is not hosted on this backend; list it under 'discovery.endpoints'",
    );
  });
});
