import type { CacheService, HttpAuthService } from '@backplane/plugin-api';
import { NotFoundError } from '@backplane/plugin-api';
import express from 'express';

const DEFAULT_TITLES: Record<string, string> = { welcome: 'Welcome' };
const ALLOWED_KINDS = new Set(['note', 'todo']);

export interface RouterOptions {
  httpAuth: HttpAuthService;
  cache: CacheService;
}

export function createRouter({ httpAuth, cache }: RouterOptions): express.Router {
  const router = express.Router();
  const seen = new Map<string, number>();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/notes/:id', async (req, res, next) => {
    try {
      await httpAuth.credentials(req, { allow: ['user'] });
      seen.set(req.params.id, Date.now());
      const title = (await cache.get(req.params.id)) ?? DEFAULT_TITLES[req.params.id];
      if (title === undefined) {
        throw new NotFoundError(`No note '${req.params.id}'`);
      }
      res.json({ id: req.params.id, title, kinds: [...ALLOWED_KINDS] });
    } catch (error) {
      next(error);
    }
  });

  return router;
}
