import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpecializedBackend, type Backend } from '@backplane/runtime';
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

const TOKEN = 'scheduler-test-token';

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

describe('schedulerServiceFactory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-sched-factory-'));
  let backend: Backend;
  let base: string;
  let runs = 0;
  let aborted = false;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/sched`;
    const configFile = join(dir, 'app-config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { host: '127.0.0.1', port },
          logger: { level: 'warn' },
          auth: {
            externalAccess: [{ type: 'static', options: { token: TOKEN, subject: 'tests' } }],
          },
        },
      }),
    );
    backend = createSpecializedBackend({
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
        pluginId: 'sched',
        register(reg) {
          reg.registerInit({
            deps: { scheduler: coreServices.scheduler },
            async init({ scheduler }) {
              await scheduler.scheduleTask({
                id: 'long',
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
                fn: signal =>
                  new Promise<void>(resolve => {
                    runs += 1;
                    signal.addEventListener('abort', () => {
                      aborted = true;
                      resolve();
                    });
                  }),
              });
            },
          });
        },
      }),
    );
    await backend.start();
  });

  afterAll(async () => {
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, method = 'GET', token?: string) =>
    fetch(`${base}/.backstage/scheduler/v1/tasks${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('should protect the task endpoints with the credentials barrier', async () => {
    expect((await call('')).status).toBe(401);
    expect((await call('/long/trigger', 'POST')).status).toBe(401);
  });

  it('should list, trigger and refuse a second trigger over HTTP', async () => {
    const listed = await call('', 'GET', TOKEN);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      tasks: [
        {
          taskId: 'long',
          pluginId: 'sched',
          scope: 'global',
          settings: { version: 2, cadence: 'manual', timeoutAfterDuration: 'PT5M' },
          taskState: { status: 'idle' },
        },
      ],
    });
    expect((await call('/long/trigger', 'POST', TOKEN)).status).toBe(200);
    await waitFor('the run', () => runs === 1);
    const again = await call('/long/trigger', 'POST', TOKEN);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { name: string } }).error.name).toBe('ConflictError');
    expect((await call('/unknown/cancel', 'POST', TOKEN)).status).toBe(404);
  });

  it('should abort the running task when the backend stops', async () => {
    await backend.stop();
    expect(aborted).toBe(true);
  });
});
