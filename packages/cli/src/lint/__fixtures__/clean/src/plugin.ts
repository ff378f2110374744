import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { createRouter } from './service/router';

export const notesPlugin = createBackendPlugin({
  pluginId: 'notes',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        cache: coreServices.cache,
      },
      async init({ httpRouter, httpAuth, cache }) {
        httpRouter.use(createRouter({ httpAuth, cache }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
