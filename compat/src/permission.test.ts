import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { readJson } from './harness/readJson';

const basicRequest = {
  items: [{ id: '1', permission: { type: 'basic', name: 'x', attributes: {} } }],
};

function authorize(backend: StartedBackend, token?: true) {
  return backend.request('/api/permission/authorize', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(basicRequest),
    token,
  });
}

describe('@backstage/plugin-permission-backend with the allow-all policy on Backplane', () => {
  describe('with the default auth policy disabled', () => {
    let backend: StartedBackend;

    beforeAll(async () => {
      backend = await startBackplane({
        features: [
          import('@backstage/plugin-permission-backend'),
          import('@backstage/plugin-permission-backend-module-allow-all-policy'),
        ],
        config: {
          permission: { enabled: true },
          backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
        },
      });
    });

    afterAll(() => backend?.stop());

    it('should allow a basic permission without a token', async () => {
      const response = await authorize(backend);

      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({ items: [{ id: '1', result: 'ALLOW' }] });
    });

    it('should answer /health', async () => {
      const response = await backend.request('/api/permission/health');

      expect(response.status).toBe(200);
    });
  });

  describe('with the default auth policy', () => {
    let backend: StartedBackend;

    beforeAll(async () => {
      backend = await startBackplane({
        features: [
          import('@backstage/plugin-permission-backend'),
          import('@backstage/plugin-permission-backend-module-allow-all-policy'),
        ],
        config: { permission: { enabled: true } },
      });
    });

    afterAll(() => backend?.stop());

    it('should refuse a static service token with 403', async () => {
      const response = await authorize(backend, true);

      expect(response.status).toBe(403);
      expect(await readJson(response)).toMatchObject({
        error: { name: 'NotAllowedError' },
        response: { statusCode: 403 },
      });
    });

    it('should refuse a request without a token with 401', async () => {
      const response = await authorize(backend);

      expect(response.status).toBe(401);
    });
  });

  describe('without a policy module', () => {
    it('should fail to start with "No policy module installed"', async () => {
      const started = startBackplane({
        features: [import('@backstage/plugin-permission-backend')],
        config: { permission: { enabled: true } },
      });

      await expect(started).rejects.toThrow(/No policy module installed/);
    });
  });
});
