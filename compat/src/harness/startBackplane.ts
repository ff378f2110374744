import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createBackend } from '@backplane/defaults';
import { mergeConfig, rootConfigServiceFactory } from '@backplane/defaults/rootConfig';
import { rootLoggerServiceFactory } from '@backplane/defaults/rootLogger';
import type { JsonObject } from '@backplane/plugin-api';
import type { Backend } from '@backplane/runtime';
import { freePort } from './freePort';

/** The static token every compat backend accepts as the service principal `compat-tests`. */
export const SERVICE_TOKEN = 'compat-smoke-token';

/** Options for {@link startBackplane}. */
export interface StartBackplaneOptions {
  /** Features to add: plugin packages as imported, modules, service factories. */
  features: unknown[];
  /** Config merged over the defaults of {@link baseConfig}. */
  config?: JsonObject;
  /** The port to listen on; a free one when absent. */
  port?: number;
  /** Directory for the config file and relative paths in it; a new temp dir when absent. */
  dir?: string;
}

/** A started Backplane backend under test. */
export interface StartedBackend {
  url: string;
  port: number;
  dir: string;
  backend: Backend;
  /** Every log line the backend wrote, as parsed JSON objects. */
  logs: JsonObject[];
  /** `fetch` against the backend; `token: true` sends the static service token. */
  request(path: string, init?: RequestInit & { token?: string | true }): Promise<Response>;
  stop(): Promise<void>;
}

/** The config every compat backend starts from. */
export function baseConfig(port: number): JsonObject {
  return {
    app: { baseUrl: `http://127.0.0.1:${port}` },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: SERVICE_TOKEN, subject: 'compat-tests' } },
        ],
      },
      logger: { level: 'warn' },
    },
  };
}

/**
 * Starts a Backplane backend made by `createBackend()` with the given features and config,
 * written to a temporary `app-config.yaml` and loaded through the real rootConfig factory.
 */
export async function startBackplane(options: StartBackplaneOptions): Promise<StartedBackend> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'backplane-compat-'));
  const ownsDir = options.dir === undefined;
  const file = join(dir, 'app-config.yaml');
  writeFileSync(file, stringify(mergeConfig(baseConfig(port), options.config ?? {})));

  const logs: JsonObject[] = [];
  const backend = createBackend({ handleProcessSignals: false });
  backend.add(rootConfigServiceFactory({ argv: ['--config', file], cwd: dir }));
  backend.add(
    rootLoggerServiceFactory({
      format: 'json',
      destination: {
        write(line: string) {
          try {
            logs.push(JSON.parse(line));
          } catch {
            logs.push({ msg: line });
          }
        },
      },
    }),
  );
  for (const feature of options.features) {
    backend.add(feature as Parameters<Backend['add']>[0]);
  }
  try {
    await backend.start();
  } catch (error) {
    await backend.stop().catch(() => undefined);
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dir,
    backend,
    logs,
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
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
