import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { DefaultSchedulerService } from './DefaultSchedulerService';

type AsyncHandler = (req: Request, res: Response) => Promise<void>;

function handle(fn: AsyncHandler) {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/**
 * The task endpoints of a plugin's scheduler, mounted on the plugin's router:
 * `GET /.backstage/scheduler/v1/tasks`, `POST …/tasks/:id/trigger` and `POST …/tasks/:id/cancel`.
 * They carry no auth policy, so the plugin's credentials barrier protects them.
 */
export function createSchedulerRouter(scheduler: DefaultSchedulerService): Router {
  const router = express.Router();

  router.get(
    '/.backstage/scheduler/v1/tasks',
    handle(async (_req, res) => {
      res.json({ tasks: await scheduler.listTasks() });
    }),
  );

  router.post(
    '/.backstage/scheduler/v1/tasks/:id/trigger',
    handle(async (req, res) => {
      await scheduler.triggerTask(req.params.id);
      res.status(200).end();
    }),
  );

  router.post(
    '/.backstage/scheduler/v1/tasks/:id/cancel',
    handle(async (req, res) => {
      await scheduler.cancelTask(req.params.id);
      res.status(200).end();
    }),
  );

  return router;
}
