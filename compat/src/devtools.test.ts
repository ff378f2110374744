import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { createProjectDir } from './harness/createProjectDir';
import { startEchoServer, type FakeServer } from './harness/fakeServer';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { readJson } from './harness/readJson';

describe('@backstage/plugin-devtools-backend on Backplane', () => {
  let echo: FakeServer;
  let backend: StartedBackend;
  const cwd = process.cwd();
  let project: string;

  beforeAll(async () => {
    // Devtools reads the config schemas of the packages of the project in the working directory,
    // as in an app whose backend package depends on the proxy plugin.
    project = createProjectDir(['@backstage/plugin-proxy-backend']);
    process.chdir(project);
    echo = await startEchoServer();
    backend = await startBackplane({
      features: [
        import('@backstage/plugin-devtools-backend'),
        import('@backstage/plugin-proxy-backend'),
      ],
      config: {
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
