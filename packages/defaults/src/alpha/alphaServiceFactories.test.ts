import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createSpecializedBackend, type Backend } from '@backplane/runtime';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import type { AuthService } from '@backplane/plugin-api';
import {
  actionsRegistryServiceRef,
  actionsServiceRef,
  metricsServiceRef,
  tracingServiceRef,
  type ActionsService,
  type MetricsService,
  type TracingService,
} from '@backplane/plugin-api/alpha';
import { authServiceFactory } from '@backplane/defaults/auth';
import { databaseServiceFactory } from '@backplane/defaults/database';
import { discoveryServiceFactory } from '@backplane/defaults/discovery';
import { httpAuthServiceFactory } from '@backplane/defaults/httpAuth';
import { httpRouterServiceFactory } from '@backplane/defaults/httpRouter';
import { lifecycleServiceFactory } from '@backplane/defaults/lifecycle';
import { loggerServiceFactory } from '@backplane/defaults/logger';
import { permissionsServiceFactory } from '@backplane/defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backplane/defaults/permissionsRegistry';
import { rootConfigServiceFactory } from '@backplane/defaults/rootConfig';
import { rootHealthServiceFactory } from '@backplane/defaults/rootHealth';
import { rootHttpRouterServiceFactory } from '@backplane/defaults/rootHttpRouter';
import { rootLifecycleServiceFactory } from '@backplane/defaults/rootLifecycle';
import { rootLoggerServiceFactory } from '@backplane/defaults/rootLogger';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  connectionsServiceFactory,
  metricsServiceFactory,
  tracingServiceFactory,
} from './index';

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

describe('alpha service factories in a backend', () => {
  let backend: Backend;
  let captured: {
    actions: ActionsService;
    auth: AuthService;
    metrics: MetricsService;
    tracing: TracingService;
  };

  beforeAll(async () => {
    const port = await freePort();
    const env = {
      APP_CONFIG_backend_baseUrl: `http://127.0.0.1:${port}`,
      APP_CONFIG_backend_listen_host: '127.0.0.1',
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_logger_level: 'warn',
      APP_CONFIG_backend_actions_pluginSources: '["tools"]',
    };
    backend = createSpecializedBackend({
      defaultServiceFactories: [
        rootConfigServiceFactory({ argv: ['node', 'test'], cwd: '/nonexistent-dir', env }),
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
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        metricsServiceFactory,
        tracingServiceFactory,
        connectionsServiceFactory,
      ],
      handleProcessSignals: false,
    });
    backend.add(
      createBackendPlugin({
        pluginId: 'tools',
        register(reg) {
          reg.registerInit({
            deps: { registry: actionsRegistryServiceRef },
            async init({ registry }) {
              registry.register({
                name: 'add',
                title: 'Add',
                description: 'Adds two numbers',
                attributes: { readOnly: true, idempotent: true },
                schema: {
                  input: z => z.object({ a: z.number(), b: z.number() }),
                  output: z => z.object({ sum: z.number(), caller: z.string() }),
                },
                action: async ({ input, credentials }) => ({
                  output: {
                    sum: input.a + input.b,
                    caller: (credentials.principal as { subject: string }).subject,
                  },
                }),
              });
            },
          });
        },
      }),
    );
    backend.add(
      createBackendPlugin({
        pluginId: 'agent',
        register(reg) {
          reg.registerInit({
            deps: {
              actions: actionsServiceRef,
              auth: coreServices.auth,
              metrics: metricsServiceRef,
              tracing: tracingServiceRef,
            },
            async init(deps) {
              captured = deps;
            },
          });
        },
      }),
    );
    await backend.start();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('should list and invoke an action of another plugin over HTTP with a plugin token', async () => {
    const credentials = await captured.auth.getOwnServiceCredentials();
    const { actions } = await captured.actions.list({ credentials });
    expect(actions).toEqual([
      expect.objectContaining({
        id: 'tools:add',
        pluginId: 'tools',
        attributes: { readOnly: true, destructive: false, idempotent: true },
      }),
    ]);
    await expect(
      captured.actions.invoke({ id: 'tools:add', input: { a: 2, b: 3 }, credentials }),
    ).resolves.toEqual({ output: { sum: 5, caller: 'plugin:agent' } });
  });

  it('should give plugins working metrics and tracing', async () => {
    captured.metrics.createCounter('calls').add(1);
    await expect(captured.tracing.startActiveSpan('work', async () => 'done')).resolves.toBe(
      'done',
    );
  });
});
