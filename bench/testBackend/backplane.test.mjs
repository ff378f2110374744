// One test file as a plugin author writes it, on Backplane's test-utils.
import { describe, expect, it } from 'vitest';
import { mockCredentials, startTestBackend } from '@backplane/test-utils';
import examplePlugin from '../../plugins/example-backend/dist/index.js';

describe('examplePlugin', () => {
  it('should answer on its open route and list items for a user', async () => {
    const { server } = await startTestBackend({
      features: [examplePlugin.default ?? examplePlugin],
    });
    const base = `http://127.0.0.1:${server.address().port}/api/example`;

    const health = await fetch(`${base}/health`);
    const items = await fetch(`${base}/items`, {
      headers: { authorization: mockCredentials.user.header() },
    });

    expect(health.status).toBe(200);
    expect(await items.json()).toEqual({ items: [] });
  });
});
