import type { LoggerService } from '@backplane/plugin-api';
import Router from 'express-promise-router';

async function loadItems(): Promise<string[]> {
  return [];
}

/** express-promise-router passes a rejected handler to next(), so only swallowed errors hang. */
export function createPromiseRouter(logger: LoggerService) {
  const router = Router();

  router.get('/rethrown', async (_req, res) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      throw new Error('Could not load the items', { cause: error });
    }
  });

  router.get('/unguarded', async (_req, res) => {
    res.json(await loadItems());
  });

  router.get('/swallowed', async (_req, res) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      logger.error('Could not load the items', error);
    }
  });

  return router;
}
