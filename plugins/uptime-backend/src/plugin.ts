import { coreServices, createBackendPlugin, resolvePackagePath } from '@backplane/plugin-api';
import { readUptimeConfig } from './config/readUptimeConfig';
import { uptimePermissions } from './permissions';
import { HostPolicy } from './service/HostPolicy';
import { createRouter } from './service/router';
import { SummaryCache } from './service/SummaryCache';
import { TargetStore } from './service/TargetStore';
import { UptimeChecker } from './service/UptimeChecker';

/** The id of the scheduled task that checks every target. */
export const UPTIME_CHECK_TASK_ID = 'check-targets';

/**
 * The uptime plugin: users add URLs to watch, a global scheduled task checks them, `GET /targets`
 * lists their status and `GET /badge/:id` serves an SVG status badge without credentials.
 */
export const uptimePlugin = createBackendPlugin({
  pluginId: 'uptime',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
      },
      async init(deps) {
        const { config, logger, database, cache, scheduler, httpRouter, permissionsRegistry } =
          deps;

        // Config first, so that a mistake stops the backend before anything runs.
        const settings = readUptimeConfig(config);

        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath('@backplane/plugin-uptime-backend', 'migrations'),
          });
        }

        permissionsRegistry.addPermissions(uptimePermissions);

        const store = new TargetStore(knex);
        const summaries = new SummaryCache({ cache, store });
        const policy = new HostPolicy({ allowedHosts: settings.allowedHosts });
        const checker = new UptimeChecker({
          store,
          summaries,
          policy,
          logger,
          requestTimeoutMs: settings.requestTimeoutMs,
        });

        // Global: across replicas one of them checks each slot, so results are not duplicated.
        await scheduler.scheduleTask({
          ...settings.schedule,
          scope: 'global',
          id: UPTIME_CHECK_TASK_ID,
          fn: async signal => {
            await checker.checkAll(signal);
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store,
            summaries,
            policy,
            maxTargets: settings.maxTargets,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({ path: '/badge', allow: 'unauthenticated' });
      },
    });
  },
});
