import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbePlugin } from './fixtures/probePlugin';
import { startOfficial } from './harness/startOfficial';
import { readJson } from './harness/readJson';

describe('plugins written with @backplane/plugin-api on the official Backstage backend', () => {
  let backend: Awaited<ReturnType<typeof startOfficial>>;

  beforeAll(async () => {
    backend = await startOfficial({
      features: [
        import('@backplane/plugin-example-backend'),
        createProbePlugin({ pluginId: 'probe' }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  it('should serve the open /health of the example plugin without credentials', async () => {
    const response = await backend.request('/api/example/health');

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: 'ok' });
  });

  it('should refuse the protected /items of the example plugin without credentials', async () => {
    const response = await backend.request('/api/example/items');

    expect(response.status).toBe(401);
    expect(await readJson(response)).toMatchObject({ error: { name: 'AuthenticationError' } });
  });

  it('should serve /items from the database with a static service token', async () => {
    const created = await backend.request('/api/example/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'written on Backstage' }),
      token: true,
    });
    expect(created.status).toBe(201);

    const response = await backend.request('/api/example/items', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      items: [
        expect.objectContaining({ title: 'written on Backstage', createdBy: 'compat-tests' }),
      ],
    });
  });

  it('should give a Backplane plugin the caller principal from the official auth service', async () => {
    const response = await backend.request('/api/probe/whoami', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      plugin: 'probe',
      principal: { type: 'service', subject: 'compat-tests' },
    });
  });

  it('should let a Backplane plugin call another plugin with a plugin token', async () => {
    const response = await backend.request('/api/probe/call/probe', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({
      status: 200,
      body: { principal: { type: 'service', subject: 'plugin:probe' } },
    });
  });
});
