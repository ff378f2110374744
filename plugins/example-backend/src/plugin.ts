import { coreServices, createBackendPlugin, resolvePackagePath } from '@backplane/plugin-api';
import { createRouter } from './service/router';
import { ItemsStore } from './service/ItemsStore';

/** The example plugin: an open `/health` and a protected `/items` backed by the database. */
export const examplePlugin = createBackendPlugin({
  pluginId: 'example',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, logger, database, httpAuth }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath('@backplane/plugin-example-backend', 'migrations'),
          });
        }

        const store = new ItemsStore(knex);
        httpRouter.use(await createRouter({ logger, httpAuth, store }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
