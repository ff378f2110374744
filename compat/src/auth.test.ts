import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { JsonObject } from '@backplane/plugin-api';
import { createDenyPolicyModule, type PolicyCall } from './fixtures/denyPolicyModule';
import { createProbePlugin, type ProbeServices } from './fixtures/probePlugin';
import { createProjectDir } from './harness/createProjectDir';
import { eventually } from './harness/eventually';
import { freePort } from './harness/freePort';
import { SERVICE_TOKEN, startBackplane, type StartedBackend } from './harness/startBackplane';
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

/** Starts auth with the guest provider, the permission plugin with `policy`, and devtools. */
async function startWithPolicy(policy: unknown): Promise<StartedBackend> {
  return startBackplane({
    features: [
      ...authFeatures(),
      import('@backstage/plugin-permission-backend'),
      policy,
      import('@backstage/plugin-devtools-backend'),
    ],
    config: {
      permission: { enabled: true },
      auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
    },
  });
}

describe('guest tokens with the permission framework on Backplane', () => {
  const cwd = process.cwd();
  let project: string;

  beforeAll(() => {
    // Devtools' /config reads the config schemas of the project in the working directory.
    project = createProjectDir(['@backstage/plugin-devtools-backend']);
    process.chdir(project);
  });

  afterAll(() => {
    process.chdir(cwd);
    rmSync(project, { recursive: true, force: true });
  });

  describe('with the allow-all policy', () => {
    let backend: StartedBackend;

    beforeAll(async () => {
      backend = await startWithPolicy(
        import('@backstage/plugin-permission-backend-module-allow-all-policy'),
      );
    });

    afterAll(() => backend?.stop());

    it("should serve devtools' /config to a guest with the static token masked", async () => {
      const { backstageIdentity } = (await signInAsGuest(backend)) as any;

      const response = await backend.request('/api/devtools/config', {
        token: backstageIdentity.token,
      });

      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body.config.backend.auth.externalAccess).toEqual([
        { type: 'static', options: { token: '<secret>', subject: 'compat-tests' } },
      ]);
      expect(JSON.stringify(body)).not.toContain(SERVICE_TOKEN);
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

  describe('with a policy that denies devtools.config to the guest', () => {
    let backend: StartedBackend;
    const calls: PolicyCall[] = [];

    beforeAll(async () => {
      backend = await startWithPolicy(
        createDenyPolicyModule({
          deny: ['devtools.config'],
          userEntityRef: 'user:development/guest',
          calls,
        }),
      );
    });

    afterAll(() => backend?.stop());

    it("should refuse devtools' /config to the guest with the policy's 403", async () => {
      const { backstageIdentity } = (await signInAsGuest(backend)) as any;
      calls.length = 0;

      const response = await backend.request('/api/devtools/config', {
        token: backstageIdentity.token,
      });

      expect(response.status).toBe(403);
      expect(await readJson(response)).toMatchObject({
        error: { name: 'NotAllowedError' },
        request: { method: 'GET' },
        response: { statusCode: 403 },
      });
      expect(calls).toEqual([
        { permission: 'devtools.config', userEntityRef: 'user:development/guest', result: 'DENY' },
      ]);
    });

    it('should still serve a devtools route the policy allows', async () => {
      const { backstageIdentity } = (await signInAsGuest(backend)) as any;
      calls.length = 0;

      const response = await backend.request('/api/devtools/external-dependencies', {
        token: backstageIdentity.token,
      });

      expect(response.status).toBe(200);
      expect(calls).toEqual([
        {
          permission: 'devtools.external-dependencies',
          userEntityRef: 'user:development/guest',
          result: 'ALLOW',
        },
      ]);
    });
  });
});

describe('guest tokens with the real catalog plugin on Backplane', () => {
  let backend: StartedBackend;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backplane-compat-auth-catalog-'));
    const file = join(dir, 'catalog-info.yaml');
    writeFileSync(
      file,
      [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'guest-visible' },
          spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'guest', namespace: 'development' },
          spec: { memberOf: ['group:default/guests'] },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'guests' },
          spec: { type: 'team', children: [] },
        },
      ]
        .map(entity => stringify(entity))
        .join('---\n'),
    );
    backend = await startBackplane({
      dir,
      features: [...authFeatures(), import('@backstage/plugin-catalog-backend')],
      config: {
        auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
        catalog: {
          rules: [{ allow: ['Component', 'User', 'Group', 'Location'] }],
          locations: [{ type: 'file', target: file }],
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should list the catalog entities for a guest token', async () => {
    const { backstageIdentity } = (await signInAsGuest(backend)) as any;

    const names = await eventually(async () => {
      const response = await backend.request('/api/catalog/entities', {
        token: backstageIdentity.token,
      });
      expect(response.status).toBe(200);
      const listed = (await readJson(response)).map((entity: any) => entity.metadata.name);
      return listed.includes('guest-visible') ? listed : undefined;
    }, 10000);

    expect(names).toContain('guest-visible');
  });

  it('should sign the guest in as its catalog User, with its group memberships', async () => {
    await eventually(async () => {
      const response = await backend.request(
        '/api/catalog/entities/by-name/user/development/guest',
        {
          token: true,
        },
      );
      return response.status === 200 ? true : undefined;
    }, 10000);

    const { backstageIdentity } = (await signInAsGuest(backend)) as any;

    expect(backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: expect.arrayContaining([
        'user:development/guest',
        'group:default/guests',
      ]),
    });
  });
});

/** The decoded protected header of a JWT. */
function tokenHeader(jwt: string): { kid?: string; alg?: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}
