import express from 'express';

/** A client of another service; its paths are URLs, not routes. */
export interface Upstream {
  get(path: string, options: { headers: Record<string, string> }): Promise<unknown>;
}

export function createRouter(upstream: Upstream): express.Router {
  const router = express.Router();

  router.get('/api/todo/items', (_req, res) => {
    res.json({ items: [] });
  });

  router.post('/items', (_req, res) => {
    res.status(201).json({});
  });

  router.get('/entities', async (_req, res, next) => {
    try {
      res.json(await upstream.get('/api/catalog/entities', { headers: {} }));
    } catch (error) {
      next(error);
    }
  });

  return router;
}
