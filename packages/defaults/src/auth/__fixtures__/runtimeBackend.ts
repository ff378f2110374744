import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendFeature, JsonObject } from '@backplane/plugin-api';
import { createSpecializedBackend } from '@backplane/runtime';
import { authServiceFactory } from '../authServiceFactory';
import { databaseServiceFactory } from '../../database';
import { discoveryServiceFactory } from '../../discovery';
import { httpAuthServiceFactory } from '../../httpAuth';
import { httpRouterServiceFactory } from '../../httpRouter';
import { lifecycleServiceFactory } from '../../lifecycle';
import { loggerServiceFactory } from '../../logger';
import { permissionsServiceFactory } from '../../permissions';
import { permissionsRegistryServiceFactory } from '../../permissionsRegistry';
import { rootConfigServiceFactory } from '../../rootConfig';
import { rootHealthServiceFactory } from '../../rootHealth';
import { rootHttpRouterServiceFactory } from '../../rootHttpRouter';
import { rootLifecycleServiceFactory } from '../../rootLifecycle';
import { rootLoggerServiceFactory } from '../../rootLogger';
import { schedulerServiceFactory } from '../../scheduler';
import { userInfoServiceFactory } from '../../userInfo';

/** The default factories the tests of a real backend in this process need. */
export function runtimeServiceFactories(configFile?: string) {
  return [
    configFile
      ? rootConfigServiceFactory({ argv: ['--config', configFile], env: {} })
      : rootConfigServiceFactory,
    rootLoggerServiceFactory,
    loggerServiceFactory,
    rootLifecycleServiceFactory,
    lifecycleServiceFactory,
    rootHealthServiceFactory,
    rootHttpRouterServiceFactory,
    httpRouterServiceFactory,
    discoveryServiceFactory,
    databaseServiceFactory,
    authServiceFactory,
    httpAuthServiceFactory,
    userInfoServiceFactory,
    permissionsServiceFactory,
    permissionsRegistryServiceFactory,
    schedulerServiceFactory,
  ];
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real backend in this process (the runtime with the default factories above) on a free
 * port, with in-memory SQLite, the given extra config and features.
 */
export async function startRuntimeBackend(options: {
  config?: JsonObject;
  features: BackendFeature[];
}): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const extra = options.config ?? {};
  const extraBackend = (extra.backend ?? {}) as JsonObject;
  const config = {
    ...extra,
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      logger: { level: 'error' },
      ...extraBackend,
    },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'backplane-auth-')), 'app-config.yaml');
  writeFileSync(file, JSON.stringify(config));

  const backend = createSpecializedBackend({
    defaultServiceFactories: runtimeServiceFactories(file),
  });
  for (const feature of options.features) {
    backend.add(feature);
  }
  await backend.start();
  return { baseUrl, stop: () => backend.stop() };
}
