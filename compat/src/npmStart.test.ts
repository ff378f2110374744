import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { eventually } from './harness/eventually';
import { freePort } from './harness/freePort';
import { readJson } from './harness/readJson';

const repoRoot = resolve(__dirname, '../..');
const entry = join(repoRoot, 'examples/backend/dist/index.js');

/** The static token of `backend.auth.externalAccess` in the repository's `app-config.yaml`. */
const STATIC_TOKEN = 'example-dev-token-change-me';

/**
 * What `npm start` runs: the built example backend with the repository's own `app-config.yaml`,
 * from the repository root. A second `--config` file changes only what a test run needs: a free
 * port (and the proxy endpoint that points back at it) and SQLite files in a temp directory.
 */
describe('the example backend that `npm start` runs', () => {
  let port: number;
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  const get = (path: string, token?: string) =>
    fetch(url(path), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    if (!existsSync(entry)) {
      throw new Error(
        `'${entry}' does not exist; run 'npm run build' at the repository root first`,
      );
    }
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'backplane-compat-npm-start-'));
    const overrides = join(dir, 'app-config.test.yaml');
    writeFileSync(
      overrides,
      stringify({
        backend: {
          baseUrl: `http://localhost:${port}`,
          listen: { port },
          database: { connection: { directory: join(dir, 'sqlite') } },
        },
        // Dev sign-in must come from NODE_ENV=development alone, as `npm start` sets it.
        auth: { dev: { allow: false } },
        proxy: {
          endpoints: { '/health': { target: `http://localhost:${port}/.backstage/health/v1` } },
        },
      }),
    );

    child = spawn(
      process.execPath,
      [entry, '--config', join(repoRoot, 'app-config.yaml'), '--config', overrides],
      { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'development' }, stdio: 'pipe' },
    );
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise(resolveExit =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );

    await eventually(async () => {
      if (child.exitCode !== null) {
        throw new Error(`The example backend exited with code ${child.exitCode}:\n${output}`);
      }
      const ready = await get('/.backstage/health/v1/readiness').catch(() => undefined);
      return ready?.status === 200 ? true : undefined;
    }, 30000);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should answer /api/example/health with {"status":"ok"}', async () => {
    const response = await get('/api/example/health');

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: 'ok' });
  });

  it('should refuse /api/example/items without a token with the standard 401 body', async () => {
    const response = await get('/api/example/items');

    expect(response.status).toBe(401);
    expect(await readJson(response)).toEqual({
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
      request: { method: 'GET', url: '/items' },
      response: { statusCode: 401 },
    });
  });

  it('should list items for the static token of app-config.yaml', async () => {
    const response = await get('/api/example/items', STATIC_TOKEN);

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ items: [] });
  });

  it('should serve readiness through the real proxy plugin without a token', async () => {
    const response = await get('/api/proxy/health/readiness');

    expect(response.status).toBe(200);
  });

  it('should serve the entity of examples/backend/catalog-info.yaml from the real catalog plugin', async () => {
    const path = '/api/catalog/entities/by-name/component/default/example-backend';
    const entity = await eventually(async () => {
      const response = await get(path, STATIC_TOKEN);
      return response.status === 200 ? readJson(response) : undefined;
    }, 20000);

    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'example-backend',
        uid: expect.any(String),
        annotations: {
          'backstage.io/managed-by-location': `file:${join(repoRoot, 'examples/backend/catalog-info.yaml')}`,
        },
      },
      spec: { type: 'service', owner: 'guests' },
    });
  });

  it('should open the uptime plugin health and badge routes', async () => {
    const health = await get('/api/uptime/health');
    expect(health.status).toBe(200);
    expect(await readJson(health)).toEqual({ status: 'ok' });

    // No target exists yet: the open badge route answers 404, not 401.
    const badge = await get('/api/uptime/badge/1');
    expect(badge.status).toBe(404);
    expect((await readJson(badge)).error.name).toBe('NotFoundError');

    expect((await get('/api/uptime/targets')).status).toBe(401);
  });

  it('should sign in alice through dev sign-in and create an item with her token', async () => {
    const signIn = await get('/api/auth/dev/token?user=alice');
    expect(signIn.status).toBe(200);
    const { token } = await readJson(signIn);

    const created = await fetch(url('/api/example/items'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'hello' }),
    });

    expect(created.status).toBe(201);
    expect(await readJson(created)).toMatchObject({
      title: 'hello',
      createdBy: 'user:default/alice',
    });
  });

  it('should keep its SQLite files in the configured directory', () => {
    expect(readdirSync(join(dir, 'sqlite'))).toEqual(
      expect.arrayContaining(['example.sqlite', 'catalog.sqlite']),
    );
  });

  it('should exit with code 0 on SIGTERM', async () => {
    child.kill('SIGTERM');

    const result = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`No exit 15 s after SIGTERM:\n${output}`)), 15000),
      ),
    ]);
    expect(result, output).toEqual({ code: 0, signal: null });
  });
});
