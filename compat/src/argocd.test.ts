import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from './harness/fakeServer';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { readJson } from './harness/readJson';

const demoApp = {
  metadata: { name: 'demo', namespace: 'argocd' },
  status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
};

describe('@roadiehq/backstage-plugin-argo-cd-backend on Backplane', () => {
  let argo: FakeServer;
  let backend: StartedBackend;

  beforeAll(async () => {
    argo = await startFakeServer(request =>
      request.url.startsWith('/api/v1/applications/demo')
        ? { json: demoApp }
        : { status: 404, json: { message: 'not found' } },
    );
    backend = await startBackplane({
      features: [import('@roadiehq/backstage-plugin-argo-cd-backend')],
      config: {
        argocd: {
          appLocatorMethods: [
            { type: 'config', instances: [{ name: 'local', url: argo.url, token: 'smoke' }] },
          ],
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await argo?.close();
  });

  it('should find an app by name on the configured instance with the instance token', async () => {
    const response = await backend.request('/api/argocd/find/name/demo', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual([{ name: 'local', url: argo.url, appName: ['demo'] }]);
    const call = argo.requests.find(r => r.url.startsWith('/api/v1/applications/demo'));
    expect(call?.headers.authorization).toBe('Bearer smoke');
  });

  it('should refuse a request without credentials with 401', async () => {
    const response = await backend.request('/api/argocd/find/name/demo');

    expect(response.status).toBe(401);
    expect(await readJson(response)).toMatchObject({
      error: { name: 'AuthenticationError' },
      response: { statusCode: 401 },
    });
  });

  it('should return the app of a named instance', async () => {
    const response = await backend.request(
      '/api/argocd/argoInstance/local/applications/name/demo',
      { token: true },
    );

    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject(demoApp);
  });
});
