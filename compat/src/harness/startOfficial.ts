import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { mergeConfig } from '@backplane/defaults/rootConfig';
import type { JsonObject } from '@backplane/plugin-api';
import { freePort } from './freePort';
import { SERVICE_TOKEN, baseConfig, type StartedBackend } from './startBackplane';

/** Options for {@link startOfficial}. */
export interface StartOfficialOptions {
  features: unknown[];
  config?: JsonObject;
  port?: number;
}

/**
 * Starts a backend made by the official `createBackend()` of `@backstage/backend-defaults`, with
 * the same base config as {@link startBackplane} (static service token, loopback port).
 */
export async function startOfficial(
  options: StartOfficialOptions,
): Promise<Omit<StartedBackend, 'backend' | 'logs'>> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'backstage-compat-'));
  const file = join(dir, 'app-config.yaml');
  writeFileSync(file, stringify(mergeConfig(baseConfig(port), options.config ?? {})));

  const backend = createBackend();
  backend.add(rootConfigServiceFactory({ argv: ['--config', file] }));
  for (const feature of options.features) {
    backend.add(feature as Parameters<typeof backend.add>[0]);
  }
  try {
    await backend.start();
  } catch (error) {
    await backend.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dir,
    request(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) {
        headers.set('authorization', `Bearer ${token === true ? SERVICE_TOKEN : token}`);
      }
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    async stop() {
      await backend.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
