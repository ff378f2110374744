// A test file that starts backends and never stops them, as careless tests do. The process that
// runs it must still exit by itself, because startTestBackend registers its own stop.
import express from 'express';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { mockCredentials } from '../../credentials/mockCredentials';
import { startTestBackend } from '../startTestBackend';

const { describe, it } =
  typeof (globalThis as any).describe === 'function' ? (globalThis as any) : require('node:test');

const busyPlugin = createBackendPlugin({
  pluginId: 'busy',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({ httpRouter, database, cache, scheduler }) {
        const knex = await database.getClient();
        await knex.schema.createTable('t', table => table.increments('id'));
        await cache.set('k', 'v', { ttl: { hours: 1 } });
        await scheduler.scheduleTask({
          id: 'tick',
          frequency: { seconds: 1 },
          timeout: { seconds: 5 },
          fn: async () => {},
        });
        const router = express.Router();
        router.get('/rows', async (_req, res) => res.json(await knex('t').select()));
        httpRouter.use(router);
      },
    });
  },
});

describe('a careless test file', () => {
  it('should leave two backends running', async () => {
    for (let i = 0; i < 2; i++) {
      const { server } = await startTestBackend({ features: [busyPlugin] });
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/api/busy/rows`, {
        headers: { authorization: mockCredentials.user.header() },
      });
      if (response.status !== 200) {
        throw new Error(`unexpected status ${response.status}`);
      }
    }
  });
});
