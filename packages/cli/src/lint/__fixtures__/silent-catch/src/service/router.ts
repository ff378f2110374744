import type { LoggerService } from '@backplane/plugin-api';
import { InputError } from '@backplane/plugin-api';
import express from 'express';

async function loadItems(): Promise<string[]> {
  return [];
}

async function audit(_error: unknown): Promise<void> {}

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

  router.get('/unguarded', async (_req, res) => {
    res.json(await loadItems());
  });

  router.get('/checked-first', async (req, res, next) => {
    if (typeof req.query.q !== 'string') {
      throw new InputError("Query parameter 'q' is required");
    }
    try {
      res.json(await loadItems());
    } catch (error) {
      next(error);
    }
  });

  router.get('/audited', async (_req, res, next) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      await audit(error);
      next(error);
    }
  });

  // Fine: the inner catch rethrows into the outer try, whose catch calls next().
  router.get('/nested', async (_req, res, next) => {
    try {
      let items;
      try {
        items = await loadItems();
      } catch (error) {
        throw new Error('Could not load the items', { cause: error });
      }
      res.json(items);
    } catch (error) {
      next(error);
    }
  });

  // Fine: the audit's rejection is handled where it is awaited.
  router.get('/audited-safely', async (_req, res, next) => {
    try {
      res.json(await loadItems());
    } catch (error) {
      await audit(error).catch(auditError => logger.warn('Could not audit', auditError));
      next(error);
    }
  });

  // Fine: Express 4 passes what a synchronous handler throws to next().
  router.get('/sync-rethrown', (_req, res) => {
    try {
      res.json(JSON.parse('[]'));
    } catch (error) {
      throw new Error('Could not parse the items', { cause: error });
    }
  });

  return router;
}
