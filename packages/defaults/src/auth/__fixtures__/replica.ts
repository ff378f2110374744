/**
 * One backend process for the two-replica test: the real runtime with the default factories of
 * the services it needs, plugins `a` and `b`, config from the file given as `--config`.
 * `GET /api/a/issue?target=b` (open, test only) returns a plugin token a issued for b;
 * `GET /api/b/whoami` (protected) returns the principal b sees.
 */
import express from 'express';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { createSpecializedBackend } from '@backplane/runtime';
import { runtimeServiceFactories } from './runtimeBackend';

const pluginA = createBackendPlugin({
  pluginId: 'a',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, auth: coreServices.auth },
      async init({ httpRouter, auth }) {
        const router = express.Router();
        router.get('/issue', async (req, res, next) => {
          try {
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: await auth.getOwnServiceCredentials(),
              targetPluginId: String(req.query.target),
            });
            res.json({ token });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/issue', allow: 'unauthenticated' });
      },
    });
  },
});

const pluginB = createBackendPlugin({
  pluginId: 'b',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/whoami', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, { allow: ['service', 'user'] });
            res.json(credentials.principal);
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

async function main() {
  const backend = createSpecializedBackend({
    defaultServiceFactories: runtimeServiceFactories(),
    handleProcessSignals: true,
  });
  backend.add(pluginA);
  backend.add(pluginB);
  await backend.start();
  process.stdout.write('READY\n');
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
