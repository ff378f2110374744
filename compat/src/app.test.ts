import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startBackplane, type StartedBackend } from './harness/startBackplane';

describe('@backstage/plugin-app-backend on Backplane', () => {
  let backend: StartedBackend;
  let databases: string;

  beforeAll(async () => {
    databases = mkdtempSync(join(tmpdir(), 'backplane-compat-app-db-'));
    backend = await startBackplane({
      features: [import('@backstage/plugin-app-backend')],
      config: {
        app: { packageName: 'smoke-app' },
        backend: { database: { client: 'better-sqlite3', connection: { directory: databases } } },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    rmSync(databases, { recursive: true, force: true });
  });

  it('should serve a static asset without credentials and with a long cache lifetime', async () => {
    const response = await backend.request('/api/app/static/main.js');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('max-age');
    expect(await response.text()).toContain('smoke-app main.js');
  });

  it('should answer a deep link with index.html', async () => {
    const response = await backend.request('/api/app/some/deep/link');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('smoke-app index');
  });

  it('should answer the root path with index.html through the root fallback', async () => {
    const response = await backend.request('/');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('smoke-app index');
  });

  it('should cache the static assets in its own database', async () => {
    const db = new Database(join(databases, 'app.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT path FROM static_assets_cache').all() as { path: string }[];
      expect(rows.map(row => row.path)).toContain('main.js');
    } finally {
      db.close();
    }
  });
});
