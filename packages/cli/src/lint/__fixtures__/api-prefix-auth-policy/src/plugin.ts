import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import express from 'express';

export const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get('/health', (_req, res) => {
          res.json({ status: 'ok' });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/api/todo/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({ path: '/api/status', allow: 'unauthenticated' });
      },
    });
  },
});
