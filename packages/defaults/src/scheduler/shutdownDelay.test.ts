import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSpecializedBackend } from '@backplane/runtime';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { authServiceFactory } from '@backplane/defaults/auth';
import { databaseServiceFactory } from '@backplane/defaults/database';
import { discoveryServiceFactory } from '@backplane/defaults/discovery';
import { httpAuthServiceFactory } from '@backplane/defaults/httpAuth';
import { httpRouterServiceFactory } from '@backplane/defaults/httpRouter';
import { lifecycleServiceFactory } from '@backplane/defaults/lifecycle';
import { loggerServiceFactory } from '@backplane/defaults/logger';
import { rootConfigServiceFactory } from '@backplane/defaults/rootConfig';
import { rootHealthServiceFactory } from '@backplane/defaults/rootHealth';
import { rootHttpRouterServiceFactory } from '@backplane/defaults/rootHttpRouter';
import { rootLifecycleServiceFactory } from '@backplane/defaults/rootLifecycle';
import { rootLoggerServiceFactory } from '@backplane/defaults/rootLogger';
import { schedulerServiceFactory } from './schedulerServiceFactory';
import { waitFor } from './__fixtures__/testKnex';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('scheduler during backend.lifecycle.serverShutdownDelay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-sched-drain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should start no task run once the backend began to stop, while the server still drains', async () => {
    const port = await freePort();
    const configFile = join(dir, 'app-config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { host: '127.0.0.1', port },
          logger: { level: 'warn' },
          lifecycle: { serverShutdownDelay: { milliseconds: 1500 } },
        },
      }),
    );
    const starts: Array<{ task: string; at: number }> = [];
    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        rootConfigServiceFactory({ argv: ['node', 'test', '--config', configFile] }),
        rootLoggerServiceFactory,
        loggerServiceFactory,
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        rootHealthServiceFactory,
        rootHttpRouterServiceFactory,
        httpRouterServiceFactory,
        authServiceFactory,
        httpAuthServiceFactory,
        discoveryServiceFactory,
        databaseServiceFactory,
        schedulerServiceFactory,
      ],
      handleProcessSignals: false,
    });
    backend.add(
      createBackendPlugin({
        pluginId: 'drain',
        register(reg) {
          reg.registerInit({
            deps: { scheduler: coreServices.scheduler },
            async init({ scheduler }) {
              for (const scope of ['local', 'global'] as const) {
                await scheduler.scheduleTask({
                  id: `every-100ms-${scope}`,
                  scope,
                  frequency: { milliseconds: 100 },
                  timeout: { seconds: 5 },
                  fn: async () => void starts.push({ task: scope, at: Date.now() }),
                });
              }
            },
          });
        },
      }),
    );
    await backend.start();
    await waitFor(
      'a run of both tasks',
      () => starts.some(s => s.task === 'local') && starts.some(s => s.task === 'global'),
    );

    const stopBegan = Date.now();
    await backend.stop();
    const stopTook = Date.now() - stopBegan;

    // The server kept accepting for the whole delay, and no replica-wide or local run began in it.
    expect(stopTook).toBeGreaterThanOrEqual(1400);
    expect(starts.filter(s => s.at >= stopBegan)).toEqual([]);
  });
});
