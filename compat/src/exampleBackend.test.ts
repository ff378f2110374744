import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEchoServer, type FakeServer } from './harness/fakeServer';
import { eventually } from './harness/eventually';
import { readJson } from './harness/readJson';
import { startBackplane, type StartedBackend } from './harness/startBackplane';

/**
 * The lineup proposed for `examples/backend`: the first-party plugins next to the real proxy and
 * catalog plugins from npm, in one Backplane backend.
 */
describe('the example backend lineup: first-party plugins next to proxy and catalog', () => {
  let echo: FakeServer;
  let backend: StartedBackend;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backplane-compat-example-'));
    const catalogFile = join(dir, 'catalog-info.yaml');
    writeFileSync(
      catalogFile,
      stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'example-backend' },
        spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
      }),
    );
    echo = await startEchoServer();
    backend = await startBackplane({
      dir,
      features: [
        import('@backplane/plugin-example-backend'),
        import('@backplane/plugin-auth-dev-backend'),
        import('@backstage/plugin-proxy-backend'),
        import('@backstage/plugin-catalog-backend'),
      ],
      config: {
        // Like the example's app-config.yaml: one SQLite file per plugin.
        backend: {
          database: { client: 'better-sqlite3', connection: { directory: join(dir, 'sqlite') } },
        },
        auth: { dev: { allow: true } },
        proxy: { endpoints: { '/echo': echo.url } },
        catalog: { locations: [{ type: 'file', target: catalogFile }] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await echo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve the example plugin and the catalog to a dev-signed-in user', async () => {
    const refresh = await backend.request('/api/auth/guest/refresh');
    expect(refresh.status).toBe(200);
    const token = (await readJson(refresh)).backstageIdentity.token;

    expect((await backend.request('/api/example/items', { token })).status).toBe(200);
    const entity = await eventually(async () => {
      const path = '/api/catalog/entities/by-name/component/default/example-backend';
      const response = await backend.request(path, { token });
      return response.status === 200 ? readJson(response) : undefined;
    });
    expect(entity.metadata.name).toBe('example-backend');
  });

  it('should proxy for a service token and refuse anonymous calls', async () => {
    expect((await backend.request('/api/proxy/echo/x', { token: true })).status).toBe(200);
    expect((await backend.request('/api/proxy/echo/x')).status).toBe(401);
  });
});
