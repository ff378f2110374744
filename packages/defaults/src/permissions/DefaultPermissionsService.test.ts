import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import express from 'express';
import type { AuthService, BackstageCredentials, Permission } from '@backplane/plugin-api';
import { createTestKey, now, signToken, type TestKey } from '../auth/__fixtures__/keys';
import { TestBackend } from '../auth/__fixtures__/testBackend';
import { createServiceCredentials } from '../auth/credentials';
import { DefaultPermissionsService } from './DefaultPermissionsService';

const read: Permission = {
  type: 'basic',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
};
const remove: Permission = {
  type: 'basic',
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
};
const resource: Permission = {
  type: 'resource',
  name: 'catalog.entity.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
};

describe('DefaultPermissionsService', () => {
  let backend: TestBackend;
  let authKey: TestKey;
  let auth: AuthService;
  const seen: Array<{
    principal: unknown;
    authorization?: string;
    items: Array<Record<string, unknown>>;
  }> = [];
  let answer: (item: Record<string, unknown>) => unknown = () => 'ALLOW';
  let failWith: number | undefined;

  beforeAll(async () => {
    backend = await TestBackend.start();
    authKey = await createTestKey();
    backend.addKeyPublisher('auth', [authKey]);
    await backend.addPlugin('permission', plugin => {
      plugin.router.post('/authorize', express.json(), async (req, res, next) => {
        try {
          const credentials = await plugin.httpAuth.credentials(req, { allow: ['user', 'none'] });
          seen.push({
            principal: credentials.principal,
            authorization: req.headers.authorization,
            items: req.body.items,
          });
          if (failWith) {
            res.status(failWith).json({ error: { name: 'Error', message: 'policy failed' } });
            return;
          }
          res.json({
            items: req.body.items.map((item: Record<string, unknown>) => {
              const result = answer(item);
              return typeof result === 'object' && !Array.isArray(result)
                ? { id: item.id, ...result }
                : { id: item.id, result };
            }),
          });
        } catch (error) {
          next(error);
        }
      });
      plugin.addAuthPolicy({ path: '/authorize', allow: 'unauthenticated' });
    });
    auth = (await backend.addPlugin('catalog', () => {})).auth;
  });
  afterAll(() => backend.close());
  beforeEach(() => {
    seen.length = 0;
    answer = () => 'ALLOW';
    failWith = undefined;
  });

  const service = (enabled: boolean, batched = false) =>
    new DefaultPermissionsService({ auth, discovery: backend.discovery, enabled, batched });
  const user = async (sub = 'user:default/alice'): Promise<BackstageCredentials> =>
    auth.authenticate(
      await signToken(
        authKey,
        { typ: 'vnd.backstage.user' },
        { iss: `${backend.baseUrl}/api/auth`, aud: 'backstage', sub, iat: now(), exp: now(3600) },
      ),
    );

  it('should allow everything without asking when permission.enabled is off', async () => {
    const result = await service(false).authorize([{ permission: read }, { permission: remove }], {
      credentials: await user(),
    });
    expect(result).toEqual([{ result: 'ALLOW' }, { result: 'ALLOW' }]);
    expect(seen).toEqual([]);
  });

  it.each([false, true])(
    'should decide service principals locally (enabled: %s)',
    async enabled => {
      const unrestricted = createServiceCredentials('plugin:scaffolder');
      const byName = createServiceCredentials('external:ci', {
        accessRestrictions: { permissionNames: ['catalog.entity.read'] },
      });
      const byAction = createServiceCredentials('external:ci', {
        accessRestrictions: { permissionAttributes: { action: ['read'] } },
      });
      const requests = [{ permission: read }, { permission: remove }];
      const permissions = service(enabled);
      expect(await permissions.authorize(requests, { credentials: unrestricted })).toEqual([
        { result: 'ALLOW' },
        { result: 'ALLOW' },
      ]);
      expect(await permissions.authorize(requests, { credentials: byName })).toEqual([
        { result: 'ALLOW' },
        { result: 'DENY' },
      ]);
      expect(
        await permissions.authorizeConditional([{ permission: resource as never }], {
          credentials: byAction,
        }),
      ).toEqual([{ result: 'DENY' }]);
      expect(seen).toEqual([]);
    },
  );

  it('should ask the permission plugin on behalf of the user when enabled', async () => {
    answer = item => ((item.permission as Permission).name === remove.name ? 'DENY' : 'ALLOW');
    const result = await service(true).authorize(
      [
        { permission: read },
        { permission: remove },
        { permission: resource, resourceRef: 'component:default/x' },
      ],
      { credentials: await user() },
    );
    expect(result).toEqual([{ result: 'ALLOW' }, { result: 'DENY' }, { result: 'ALLOW' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0].principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      actor: { type: 'service', subject: 'plugin:catalog' },
    });
    expect(seen[0].items).toEqual([
      { id: expect.any(String), permission: read },
      { id: expect.any(String), permission: remove },
      { id: expect.any(String), permission: resource, resourceRef: 'component:default/x' },
    ]);
  });

  it('should send no token for none credentials', async () => {
    await service(true).authorize([{ permission: read }], {
      credentials: await auth.getNoneCredentials(),
    });
    expect(seen[0].authorization).toBeUndefined();
    expect(seen[0].principal).toEqual({ type: 'none' });
  });

  it('should pass conditional decisions through', async () => {
    const conditions = {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: ['user:default/alice'] },
    };
    answer = () => ({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions,
    });
    const result = await service(true).authorizeConditional([{ permission: resource as never }], {
      credentials: await user(),
    });
    expect(result).toEqual([
      { result: 'CONDITIONAL', pluginId: 'catalog', resourceType: 'catalog-entity', conditions },
    ]);
  });

  it('should refuse a conditional answer to authorize()', async () => {
    answer = () => ({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'x',
      conditions: {},
    });
    await expect(
      service(true).authorize([{ permission: read }], { credentials: await user() }),
    ).rejects.toThrow(
      "The permission plugin answered 'CONDITIONAL' to authorize(); only ALLOW or DENY are valid there",
    );
  });

  it('should split many items into requests of 100 and keep their order', async () => {
    answer = item => ((item.permission as Permission).name.endsWith('7') ? 'DENY' : 'ALLOW');
    const requests = Array.from({ length: 250 }, (_, i) => ({
      permission: { ...read, name: `p.${i}` },
    }));
    const result = await service(true).authorize(requests, { credentials: await user() });
    expect(seen.map(s => s.items.length)).toEqual([100, 100, 50]);
    expect(result.map(r => r.result)).toEqual(
      requests.map(r => (r.permission.name.endsWith('7') ? 'DENY' : 'ALLOW')),
    );
  });

  it('should group resource refs per permission in batched mode', async () => {
    answer = item =>
      (item.resourceRef as string[] | undefined)?.map(ref =>
        ref.endsWith('b') ? 'DENY' : 'ALLOW',
      ) ?? 'ALLOW';
    const result = await service(true, true).authorize(
      [
        { permission: resource, resourceRef: 'component:default/a' },
        { permission: read },
        { permission: resource, resourceRef: 'component:default/b' },
      ],
      { credentials: await user() },
    );
    expect(seen[0].items).toEqual([
      {
        id: expect.any(String),
        permission: resource,
        resourceRef: ['component:default/a', 'component:default/b'],
      },
      { id: expect.any(String), permission: read },
    ]);
    expect(result).toEqual([{ result: 'ALLOW' }, { result: 'ALLOW' }, { result: 'DENY' }]);
  });

  it('should fail with the upstream status when the permission plugin fails', async () => {
    failWith = 500;
    const error = await service(true)
      .authorize([{ permission: read }], { credentials: await user() })
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(500);
    expect(error.message).toMatch(
      /^The permission plugin at 'http:\/\/127\.0\.0\.1:\d+\/api\/permission\/authorize' answered HTTP 500: /,
    );
  });

  it('should say what to change when no permission plugin is installed', async () => {
    const bare = await TestBackend.start();
    try {
      const caller = await bare.addPlugin('catalog', () => {});
      const error = await new DefaultPermissionsService({
        auth: caller.auth,
        discovery: bare.discovery,
        enabled: true,
      })
        .authorize([{ permission: read }], { credentials: await user() })
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      const url = `${await bare.discovery.getBaseUrl('permission')}/authorize`;
      expect(error.message).toBe(
        `'permission.enabled' is true but no permission plugin answers at '${url}': install ` +
          "@backstage/plugin-permission-backend with a policy, or set 'permission.enabled: false'",
      );
    } finally {
      await bare.close();
    }
  });
});
