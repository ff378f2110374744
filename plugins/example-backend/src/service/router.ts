import express from 'express';
import { InputError } from '@backplane/plugin-api';
import type { HttpAuthService, LoggerService } from '@backplane/plugin-api';
import type { ItemsStore } from './ItemsStore';

/** What the router needs, injected by the plugin. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  store: ItemsStore;
}

/** Builds the plugin's Express router; paths are relative to `/api/example`. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, httpAuth, store } = options;
  const router = express.Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/items', async (req, res, next) => {
    try {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
      res.json({ items: await store.list() });
    } catch (error) {
      next(error);
    }
  });

  router.post('/items', express.json({ limit: '16kb' }), async (req, res, next) => {
    try {
      const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
      const title = req.body?.title;
      if (typeof title !== 'string' || title.trim() === '' || title.length > 200) {
        throw new InputError(
          "Body field 'title' must be a non-empty string of at most 200 characters.",
        );
      }
      const principal = credentials.principal as { userEntityRef?: string; subject?: string };
      const item = await store.create(
        title.trim(),
        principal.userEntityRef ?? principal.subject ?? 'unknown',
      );
      logger.info('Item created', { id: item.id, createdBy: item.createdBy });
      res.status(201).json(item);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
