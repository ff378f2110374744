import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { exportPKCS8, exportSPKI, importJWK, type KeyLike } from 'jose';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import type {
  AuthService,
  HttpAuthService,
  HttpRouterService,
  HttpRouterServiceAuthPolicy,
  JsonObject,
} from '@backplane/plugin-api';
import type { TestKey } from '../../auth/__fixtures__/keys';
import { startRuntimeBackend } from '../../auth/__fixtures__/runtimeBackend';
import { TestBackend } from '../../auth/__fixtures__/testBackend';

/*
 * The servers the hostile-request suite runs against. Each hosts plugin `target` (the routes and
 * policies of `setUpTarget`), plugins `caller`, `other` and `forger`, and an `auth` plugin that
 * publishes `hostile.authKey`. Plugin tokens of `forger` are signed with `hostile.forgerKey`, which
 * the test holds, so tokens with bad claims and good signatures can be made.
 */

export const CONFIG: JsonObject = {
  backend: {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: 'static-ok-token', subject: 'ci' } },
        {
          type: 'static',
          options: { token: 'static-elsewhere-token', subject: 'elsewhere' },
          accessRestrictions: [{ plugin: 'other' }, { plugin: 'search' }],
        },
        {
          type: 'legacy',
          options: {
            secret: Buffer.from('legacy shared secret 0123456789').toString('base64'),
            subject: 'old',
          },
        },
      ],
    },
  },
};

/** A server the table runs against. */
export interface HostileServer {
  baseUrl: string;
  /** A token plugin `caller` issued for `targetPluginId` through its auth service. */
  callerTokenFor(targetPluginId: string): Promise<string>;
  close(): Promise<void>;
}

/** The keys the test holds and the server under test, set up by the suite. */
export const hostile = {} as {
  server: HostileServer;
  authKey: TestKey;
  forgerKey: TestKey;
  attackerKey: TestKey;
};

/** How often each handler of the servers was reached. */
export const hits = new Map<string, number>();

export const hit = (name: string) => (_req: unknown, res: { json(body: unknown): void }) => {
  hits.set(name, (hits.get(name) ?? 0) + 1);
  res.json({ reached: name });
};

/** The routes and policies of plugin `target`. */
function setUpTarget(
  router: express.Router,
  httpAuth: HttpAuthService,
  addAuthPolicy: (policy: HttpRouterServiceAuthPolicy) => void,
) {
  router.get('/protected', hit('protected'));
  router.get('/public', hit('public'));
  router.get('/health', hit('health'));
  router.get('/healthz', hit('healthz'));
  router.get('/publicity', hit('publicity'));
  router.get('/assets/:file', hit('assets'));
  router.get('/users-only', async (req, res, next) => {
    try {
      await httpAuth.credentials(req, { allow: ['user'] });
      hit('users-only')(req, res);
    } catch (error) {
      next(error);
    }
  });
  router.use(hit('fallback'));
  addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
  addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
  addAuthPolicy({ path: '/assets', allow: 'user-cookie' });
}

export async function startHarness(): Promise<HostileServer> {
  const server = await TestBackend.start({ config: CONFIG });
  server.addKeyPublisher('auth', [hostile.authKey]);
  server.addKeyPublisher('forger', [hostile.forgerKey]);
  await server.addPlugin('target', p => setUpTarget(p.router, p.httpAuth, p.addAuthPolicy));
  const caller = await server.addPlugin('caller', () => {});
  await server.addPlugin('other', p => {
    p.router.use(hit('other'));
  });
  return {
    baseUrl: server.baseUrl,
    callerTokenFor: async targetPluginId =>
      (
        await caller.auth.getPluginRequestToken({
          onBehalfOf: await caller.auth.getOwnServiceCredentials(),
          targetPluginId,
        })
      ).token,
    close: () => server.close(),
  };
}

function plugin(
  pluginId: string,
  init: (deps: {
    httpRouter: HttpRouterService;
    httpAuth: HttpAuthService;
    auth: AuthService;
  }) => void,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          auth: coreServices.auth,
        },
        async init(deps) {
          init(deps);
        },
      });
    },
  });
}

export async function startRuntime(): Promise<HostileServer> {
  // Every plugin signs with hostile.forgerKey, through the static key store.
  const dir = mkdtempSync(join(tmpdir(), 'backplane-hostile-'));
  writeFileSync(join(dir, 'key.pem'), await exportPKCS8(hostile.forgerKey.privateKey));
  writeFileSync(
    join(dir, 'key.pub'),
    await exportSPKI((await importJWK(hostile.forgerKey.publicJwk, 'ES256')) as KeyLike),
  );
  const staticKeys = {
    type: 'static',
    static: {
      keys: [
        {
          keyId: hostile.forgerKey.kid,
          publicKeyFile: join(dir, 'key.pub'),
          privateKeyFile: join(dir, 'key.pem'),
        },
      ],
    },
  };
  const config = structuredClone(CONFIG) as { backend: { auth: JsonObject } };
  config.backend.auth.pluginKeyStore = staticKeys;

  let callerAuth!: AuthService;
  const server = await startRuntimeBackend({
    config: config as unknown as JsonObject,
    features: [
      plugin('target', ({ httpRouter, httpAuth }) => {
        const router = express.Router();
        setUpTarget(router, httpAuth, policy => httpRouter.addAuthPolicy(policy));
        httpRouter.use(router);
      }),
      plugin('caller', ({ auth }) => {
        callerAuth = auth;
      }),
      plugin('other', ({ httpRouter }) => {
        httpRouter.use(hit('other'));
      }),
      plugin('forger', () => {}),
      plugin('auth', ({ httpRouter }) => {
        const router = express.Router();
        router.get('/.well-known/jwks.json', (_req, res) => {
          res.json({ keys: [hostile.authKey.publicJwk] });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/.well-known', allow: 'unauthenticated' });
      }),
    ],
  });
  return {
    baseUrl: server.baseUrl,
    callerTokenFor: async targetPluginId =>
      (
        await callerAuth.getPluginRequestToken({
          onBehalfOf: await callerAuth.getOwnServiceCredentials(),
          targetPluginId,
        })
      ).token,
    close: () => server.stop(),
  };
}
