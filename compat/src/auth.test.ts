import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '@backplane/plugin-api';
import { createProbePlugin, type ProbeServices } from './fixtures/probePlugin';
import { freePort } from './harness/freePort';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { readJson } from './harness/readJson';

const authFeatures = () => [
  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),
];

function authConfig(databases: string): JsonObject {
  return {
    auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
    backend: { database: { client: 'better-sqlite3', connection: { directory: databases } } },
  };
}

async function signInAsGuest(backend: StartedBackend): Promise<JsonObject> {
  const response = await backend.request('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(response.status).toBe(200);
  return readJson(response);
}

describe('@backstage/plugin-auth-backend with the guest provider on Backplane', () => {
  let backend: StartedBackend;
  let databases: string;
  let port: number;
  let token: string;
  const probe: Partial<ProbeServices> = {};

  beforeAll(async () => {
    databases = mkdtempSync(join(tmpdir(), 'backplane-compat-auth-db-'));
    port = await freePort();
    backend = await startBackplane({
      port,
      features: [...authFeatures(), createProbePlugin({ pluginId: 'probe', services: probe })],
      config: authConfig(databases),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    rmSync(databases, { recursive: true, force: true });
  });

  it('should sign in a guest and return a Backstage identity token', async () => {
    const body = (await signInAsGuest(backend)) as any;

    expect(body.backstageIdentity.identity).toMatchObject({
      type: 'user',
      userEntityRef: 'user:development/guest',
    });
    expect(body.backstageIdentity.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    token = body.backstageIdentity.token;
  });

  it('should publish the key of the token in its JWKS', async () => {
    const response = await backend.request('/api/auth/.well-known/jwks.json');

    expect(response.status).toBe(200);
    const { keys } = (await readJson(response)) as { keys: { kid: string }[] };
    expect(keys.map(key => key.kid)).toContain(tokenHeader(token).kid);
  });

  it('should return the user info of the token', async () => {
    const response = await backend.request('/api/auth/v1/userinfo', { token });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      claims: expect.objectContaining({ sub: 'user:development/guest', ent: expect.any(Array) }),
    });
  });

  it("should have Backplane's auth service accept the token as a user principal", async () => {
    const credentials = await probe.auth!.authenticate(token);

    expect(credentials.principal).toEqual({
      type: 'user',
      userEntityRef: 'user:development/guest',
    });
  });

  it('should let the guest call a protected route of a Backplane plugin', async () => {
    const response = await backend.request('/api/probe/whoami', { token });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      plugin: 'probe',
      principal: { type: 'user', userEntityRef: 'user:development/guest' },
    });
  });

  it("should give Backplane's userInfo the ownership refs from the auth plugin", async () => {
    const credentials = await probe.auth!.authenticate(token);
    const info = await probe.userInfo!.getUserInfo(credentials as any);

    expect(info).toEqual({
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: expect.arrayContaining(['user:development/guest']),
    });
  });

  it('should still accept the token after a restart on the same SQLite files', async () => {
    await backend.stop();
    const restartedProbe: Partial<ProbeServices> = {};
    backend = await startBackplane({
      port,
      features: [
        ...authFeatures(),
        createProbePlugin({ pluginId: 'probe', services: restartedProbe }),
      ],
      config: authConfig(databases),
    });

    const credentials = await restartedProbe.auth!.authenticate(token);
    expect(credentials.principal).toMatchObject({ userEntityRef: 'user:development/guest' });
    const response = await backend.request('/api/probe/whoami', { token });
    expect(response.status).toBe(200);
  });
});

describe('guest tokens with the permission framework on Backplane', () => {
  let backend: StartedBackend;

  beforeAll(async () => {
    backend = await startBackplane({
      features: [
        ...authFeatures(),
        import('@backstage/plugin-permission-backend'),
        import('@backstage/plugin-permission-backend-module-allow-all-policy'),
        import('@backstage/plugin-devtools-backend'),
      ],
      config: {
        permission: { enabled: true },
        auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
      },
    });
  });

  afterAll(() => backend?.stop());

  it("should authorize a guest's devtools request through the permission plugin", async () => {
    const { backstageIdentity } = (await signInAsGuest(backend)) as any;
    const before = backend.logs.length;

    const response = await backend.request('/api/devtools/external-dependencies', {
      token: backstageIdentity.token,
    });

    expect(response.status).toBe(200);
    expect(backend.logs.slice(before).filter(line => line.level === 'error')).toEqual([]);
  });

  it('should authorize a basic permission for the guest', async () => {
    const { backstageIdentity } = (await signInAsGuest(backend)) as any;

    const response = await backend.request('/api/permission/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [{ id: '1', permission: { type: 'basic', name: 'x', attributes: {} } }],
      }),
      token: backstageIdentity.token,
    });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ items: [{ id: '1', result: 'ALLOW' }] });
  });
});

/** The decoded protected header of a JWT. */
function tokenHeader(jwt: string): { kid?: string; alg?: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}
