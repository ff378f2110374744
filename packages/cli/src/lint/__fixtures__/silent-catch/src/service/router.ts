import type { LoggerService } from '@backplane/plugin-api';
import express from 'express';

async function loadItems(): Promise<string[]> {
  return [];
}

export function createRouter(logger: LoggerService): express.Router {
  const router = express.Router();

  router.get('/items', async (_req, res) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      logger.error('Could not load the items', error);
    }
  });

  router.get('/forwarded', async (_req, res, next) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      next(error);
    }
  });

  router.get('/answered', async (_req, res) => {
    try {
      res.json(await loadItems());
    } catch {
      res.status(503).json({ error: { name: 'ServiceUnavailableError', message: 'try later' } });
    }
  });

  router.get('/rethrown', async (_req, res) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      throw new Error('Could not load the items', { cause: error });
    }
  });

  router.get('/named', listNamed);

  function listNamed(_req: express.Request, res: express.Response): void {
    try {
      res.json([]);
    } catch (error) {
      logger.warn('Could not list', error);
    }
  }

  return router;
}
