// A backend that owns its process, with one plugin serving '/health'. Its config comes from the
// --config argument; createBackend.test.ts watches what a user sees when start() fails.
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { createBackend } from '../createBackend';

const backend = createBackend();
backend.add(
  createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use((_req, res) => res.json({ ok: true }));
        },
      });
    },
  }),
);
backend.start();
