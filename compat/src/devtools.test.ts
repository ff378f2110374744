import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { createProjectDir } from './harness/createProjectDir';
import { startEchoServer, type FakeServer } from './harness/fakeServer';
import { SERVICE_TOKEN, startBackplane, type StartedBackend } from './harness/startBackplane';
import { readJson } from './harness/readJson';

const LEGACY_SECRET = Buffer.from('legacy-shared-secret').toString('base64');

describe('@backstage/plugin-devtools-backend on Backplane', () => {
  let echo: FakeServer;
  let backend: StartedBackend;
  const cwd = process.cwd();
  let project: string;

  beforeAll(async () => {
    // Devtools reads the config schemas of the packages of the project in the working directory,
    // as in an app whose backend package depends on @backplane/defaults and the proxy plugin.
    project = createProjectDir(['@backstage/plugin-proxy-backend']);
    process.chdir(project);
    echo = await startEchoServer();
    backend = await startBackplane({
      features: [
        import('@backstage/plugin-devtools-backend'),
        import('@backstage/plugin-proxy-backend'),
      ],
      config: {
        backend: {
          auth: {
            externalAccess: [
              { type: 'static', options: { token: SERVICE_TOKEN, subject: 'compat-tests' } },
              { type: 'static', options: { token: 'real-static-token', subject: 'ci' } },
              { type: 'legacy', options: { secret: LEGACY_SECRET, subject: 'legacy-caller' } },
            ],
          },
          database: {
            plugin: {
              // Plugins that are not installed here, so no connection is opened.
              catalog: {
                client: 'pg',
                connection: { host: 'db.internal', user: 'backstage', password: 'db-password' },
              },
              search: { client: 'pg', connection: 'postgresql://app:url-password@db.internal/x' },
            },
          },
          cache: { store: 'memory', connection: 'redis://:cache-password@cache.internal:6379' },
        },
        proxy: {
          endpoints: {
            '/secure': { target: echo.url, headers: { Authorization: 'Bearer very-secret' } },
          },
        },
        devTools: {
          externalDependencies: {
            endpoints: [{ name: 'echo', type: 'fetch', target: `${echo.url}/` }],
          },
        },
      },
    });
  });

  afterAll(async () => {
    process.chdir(cwd);
    await backend?.stop();
    await echo?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('should answer /health without credentials', async () => {
    const response = await backend.request('/api/devtools/health');

    expect(response.status).toBe(200);
  });

  it('should return the config with secrets masked', async () => {
    const response = await backend.request('/api/devtools/config', { token: true });

    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body.config.proxy.endpoints['/secure'].headers.Authorization).toBe('<secret>');
    expect(body.config.proxy.endpoints['/secure'].target).toBe(echo.url);
    expect(JSON.stringify(body)).not.toContain('very-secret');
  });

  it("should mask the secrets of Backplane's own config keys in /config", async () => {
    const response = await backend.request('/api/devtools/config', { token: true });

    expect(response.status).toBe(200);
    const { config, error } = await readJson(response);
    expect(error).toBeUndefined();
    expect(config.backend.auth.externalAccess).toEqual([
      { type: 'static', options: { token: '<secret>', subject: 'compat-tests' } },
      { type: 'static', options: { token: '<secret>', subject: 'ci' } },
      { type: 'legacy', options: { secret: '<secret>', subject: 'legacy-caller' } },
    ]);
    expect(config.backend.database.plugin).toEqual({
      catalog: {
        client: 'pg',
        connection: { host: 'db.internal', user: 'backstage', password: '<secret>' },
      },
      search: { client: 'pg', connection: '<secret>' },
    });
    expect(config.backend.cache).toEqual({ store: 'memory', connection: '<secret>' });
    const text = JSON.stringify(config);
    for (const secret of [
      SERVICE_TOKEN,
      'real-static-token',
      LEGACY_SECRET,
      'db-password',
      'url-password',
      'cache-password',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('should check external dependencies', async () => {
    const response = await backend.request('/api/devtools/external-dependencies', {
      token: true,
    });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual([
      expect.objectContaining({ name: 'echo', type: 'fetch', status: 'Healthy' }),
    ]);
  });

  it('should refuse /config without credentials with 401', async () => {
    const response = await backend.request('/api/devtools/config');

    expect(response.status).toBe(401);
  });

  it('should list the devtools permissions in the permission metadata', async () => {
    const response = await backend.request(
      '/api/devtools/.well-known/backstage/permissions/metadata',
      { token: true },
    );

    expect(response.status).toBe(200);
    const names = (await readJson(response)).permissions.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'devtools.info',
        'devtools.config',
        'devtools.external-dependencies',
      ]),
    );
  });
});
