import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { createSchedulerRouter } from './createSchedulerRouter';
import { DefaultSchedulerService } from './DefaultSchedulerService';

/**
 * The default `core.scheduler`: one scheduler per plugin, keeping global task state in the
 * plugin's database and adding the task endpoints to the plugin's router.
 */
export const schedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    pluginMetadata: coreServices.pluginMetadata,
  },
  async factory({ database, logger, rootLifecycle, httpRouter, pluginMetadata }) {
    const scheduler = DefaultSchedulerService.create({
      pluginId: pluginMetadata.getId(),
      database,
      logger: logger.child({ service: 'scheduler' }),
      rootLifecycle,
    });
    httpRouter.use(createSchedulerRouter(scheduler));
    return scheduler;
  },
});
