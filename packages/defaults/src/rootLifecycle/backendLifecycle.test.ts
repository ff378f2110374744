import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreServices, createBackendPlugin, type RootHealthService } from '@backplane/plugin-api';
import { createSpecializedBackend } from '@backplane/runtime';
import { discoveryServiceFactory } from '../discovery/discoveryServiceFactory';
import { lifecycleServiceFactory } from '../lifecycle/lifecycleServiceFactory';
import { loggerServiceFactory } from '../logger/loggerServiceFactory';
import { rootConfigServiceFactory } from '../rootConfig/rootConfigServiceFactory';
import { rootHealthServiceFactory } from '../rootHealth/rootHealthServiceFactory';
import { rootLoggerServiceFactory } from '../rootLogger/rootLoggerServiceFactory';
import { rootLifecycleServiceFactory } from './rootLifecycleServiceFactory';

let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the foundation services on the runtime', () => {
  it('should run plugin and root hooks in protocol order, log failures and report readiness', async () => {
    dir = mkdtempSync(join(tmpdir(), 'backplane-foundation-'));
    writeFileSync(join(dir, 'app-config.yaml'), 'demo:\n  apiToken: { $env: SECRET }\n');
    const lines: string[] = [];
    const events: string[] = [];
    let health: RootHealthService | undefined;
    const readiness = async () => (await health!.getReadiness()).status;

    const plugin = createBackendPlugin({
      pluginId: 'demo',
      register(env) {
        env.registerInit({
          deps: {
            logger: coreServices.logger,
            lifecycle: coreServices.lifecycle,
            rootLifecycle: coreServices.rootLifecycle,
            rootHealth: coreServices.rootHealth,
            discovery: coreServices.discovery,
          },
          async init({ logger, lifecycle, rootLifecycle, rootHealth, discovery }) {
            health = rootHealth;
            events.push(`init ${await discovery.getBaseUrl('demo')}`);
            logger.info('Plugin init', { token: 'env-secret-value' });
            lifecycle.addStartupHook(
              async () => void events.push(`plugin startup ${await readiness()}`),
            );
            lifecycle.addStartupHook(() => {
              throw new Error('startup hook broke');
            });
            lifecycle.addShutdownHook(
              async () => void events.push(`plugin shutdown ${await readiness()}`),
            );
            rootLifecycle.addStartupHook(
              async () => void events.push(`root startup ${await readiness()}`),
            );
            rootLifecycle.addBeforeShutdownHook(() => void events.push('root before shutdown'));
            rootLifecycle.addShutdownHook(() => void events.push('root shutdown'));
          },
        });
      },
    });

    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        rootConfigServiceFactory({
          argv: [],
          cwd: dir,
          env: { APP_CONFIG_backend_listen: '":7123"', SECRET: 'env-secret-value' },
        }),
        rootLoggerServiceFactory({ format: 'json', destination: { write: l => lines.push(l) } }),
        rootLifecycleServiceFactory,
        rootHealthServiceFactory,
        lifecycleServiceFactory,
        loggerServiceFactory,
        discoveryServiceFactory,
      ],
    });
    backend.add(plugin);

    await backend.start();
    const afterStart = await readiness();
    await backend.stop();

    expect(events).toEqual([
      'init http://localhost:7123/api/demo',
      'plugin startup 503',
      'root startup 503',
      'root before shutdown',
      'plugin shutdown 503',
      'root shutdown',
    ]);
    expect(afterStart).toBe(200);
    expect(lines.join('')).not.toContain('env-secret-value');
    const logged = lines.map(line => JSON.parse(line));
    expect(logged).toContainEqual(
      expect.objectContaining({
        plugin: 'demo',
        message: 'Plugin init',
        token: '[REDACTED]',
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        plugin: 'demo',
        message: 'Plugin startup hook failed',
        error: expect.objectContaining({ message: 'startup hook broke' }),
      }),
    );
  });
});
