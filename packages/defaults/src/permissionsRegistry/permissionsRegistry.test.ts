import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { PermissionRule, PermissionsRegistryService } from '@backplane/plugin-api';
import { rawRequest } from '../auth/__fixtures__/rawRequest';
import { TestBackend } from '../auth/__fixtures__/testBackend';
import { paramsSchemaToJsonSchema } from './paramsSchema';
import { permissionsRegistryServiceFactory } from './permissionsRegistryServiceFactory';

type Entity = { ref: string; owner: string; kind: string };

const entities: Record<string, Entity> = {
  'component:default/a': {
    ref: 'component:default/a',
    owner: 'group:default/team-a',
    kind: 'Component',
  },
  'api:default/b': { ref: 'api:default/b', owner: 'group:default/team-b', kind: 'API' },
};

const isOwner: PermissionRule<Entity> = {
  name: 'IS_OWNER',
  description: 'Owned by one of the claims',
  resourceType: 'catalog-entity',
  paramsSchema: z3.object({ claims: z3.array(z3.string()).describe('Entity refs') }),
  apply: (entity, { claims }) => claims.includes(entity.owner),
  toQuery: ({ claims }) => ({ owner: claims }),
};
const isKind: PermissionRule<Entity> = {
  name: 'IS_KIND',
  description: 'Of the given kind',
  resourceType: 'catalog-entity',
  paramsSchema: z.object({ kind: z.string() }),
  apply: (entity, { kind }) => entity.kind === kind,
  toQuery: ({ kind }) => ({ kind }),
};
const resourceRef = {
  $$type: '@backstage/PermissionResourceRef',
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
} as const;

describe('permissionsRegistry', () => {
  let backend: TestBackend;
  let registry: PermissionsRegistryService;
  let startHooks: Array<() => void>;

  beforeAll(async () => {
    backend = await TestBackend.start({
      config: {
        backend: {
          auth: {
            externalAccess: [
              { type: 'static', options: { token: 'permission-backend', subject: 'perm' } },
            ],
          },
        },
      },
    });
    const plugin = await backend.addPlugin('catalog', () => {});
    startHooks = [];
    const factory = permissionsRegistryServiceFactory as unknown as {
      factory(deps: object): Promise<PermissionsRegistryService>;
    };
    registry = await factory.factory({
      lifecycle: {
        addStartupHook: (hook: () => void) => startHooks.push(hook),
        addShutdownHook() {},
      },
      httpRouter: { use: (handler: never) => plugin.router.use(handler), addAuthPolicy() {} },
      pluginMetadata: { getId: () => 'catalog' },
    });
    registry.addPermissions([
      { type: 'basic', name: 'catalog.location.create', attributes: { action: 'create' } },
    ]);
    registry.addResourceType({
      resourceRef,
      permissions: [
        {
          type: 'resource',
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
          resourceType: 'catalog-entity',
        },
      ],
      rules: [isOwner, isKind],
      getResources: async refs => refs.map(ref => entities[ref]),
    });
  });
  afterAll(() => backend.close());

  const call = (method: string, path: string, body?: unknown, token = 'permission-backend') =>
    fetch(`${backend.baseUrl}/api/catalog/.well-known/backstage/permissions/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async response => ({ status: response.status, body: (await response.json()) as any }));

  it('should publish permissions and rules with JSON Schema parameters', async () => {
    const { status, body } = await call('GET', 'metadata');
    expect(status).toBe(200);
    expect(body.permissions.map((p: { name: string }) => p.name)).toEqual([
      'catalog.location.create',
      'catalog.entity.read',
    ]);
    expect(body.rules).toEqual([
      {
        name: 'IS_OWNER',
        description: 'Owned by one of the claims',
        resourceType: 'catalog-entity',
        paramsSchema: zodToJsonSchema(isOwner.paramsSchema as never),
      },
      {
        name: 'IS_KIND',
        description: 'Of the given kind',
        resourceType: 'catalog-entity',
        paramsSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { kind: { type: 'string' } },
          required: ['kind'],
        },
      },
    ]);
  });

  it('should describe zod v3 parameters like zod-to-json-schema does', () => {
    const schema = z3.object({
      claims: z3.array(z3.string()).describe('refs'),
      kind: z3.enum(['a', 'b']).optional(),
      n: z3.number().nullable(),
      l: z3.literal('x'),
      u: z3.union([z3.string(), z3.boolean()]),
      r: z3.record(z3.string()),
      d: z3.string().default('q'),
    });
    const rule = { ...isOwner, paramsSchema: schema };
    expect(paramsSchemaToJsonSchema(rule as never)).toEqual(zodToJsonSchema(schema));
    expect(paramsSchemaToJsonSchema({ ...isOwner, paramsSchema: undefined } as never)).toEqual(
      zodToJsonSchema(z3.object({})),
    );
  });

  it('should apply conditions to the plugin resources', async () => {
    const owned = {
      rule: 'IS_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: ['group:default/team-a'] },
    };
    const api = { rule: 'IS_KIND', resourceType: 'catalog-entity', params: { kind: 'API' } };
    const { status, body } = await call('POST', 'apply-conditions', {
      items: [
        {
          id: '1',
          resourceRef: 'component:default/a',
          resourceType: 'catalog-entity',
          conditions: owned,
        },
        {
          id: '2',
          resourceRef: 'api:default/b',
          resourceType: 'catalog-entity',
          conditions: owned,
        },
        {
          id: '3',
          resourceRef: 'api:default/b',
          resourceType: 'catalog-entity',
          conditions: { anyOf: [owned, api] },
        },
        {
          id: '4',
          resourceRef: 'api:default/b',
          resourceType: 'catalog-entity',
          conditions: { allOf: [owned, api] },
        },
        {
          id: '5',
          resourceRef: 'api:default/b',
          resourceType: 'catalog-entity',
          conditions: { not: owned },
        },
        {
          id: '6',
          resourceRef: ['component:default/a', 'api:default/b', 'component:default/missing'],
          resourceType: 'catalog-entity',
          conditions: owned,
        },
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      items: [
        { id: '1', result: 'ALLOW' },
        { id: '2', result: 'DENY' },
        { id: '3', result: 'ALLOW' },
        { id: '4', result: 'DENY' },
        { id: '5', result: 'ALLOW' },
        { id: '6', result: ['ALLOW', 'DENY', 'DENY'] },
      ],
    });
  });

  it.each([
    [{}, 'Invalid request body: expected { items: [...] }'],
    [
      {
        items: [
          {
            id: '1',
            resourceRef: 'x',
            resourceType: 'other',
            conditions: { rule: 'IS_KIND', resourceType: 'other' },
          },
        ],
      },
      'Unexpected resource types: other',
    ],
    [
      {
        items: [
          { id: '1', resourceRef: 'x', resourceType: 'catalog-entity', conditions: { anyOf: [] } },
        ],
      },
      'Invalid items[0].conditions.anyOf: expected a non-empty array',
    ],
    [
      {
        items: [
          {
            id: '1',
            resourceRef: 'component:default/a',
            resourceType: 'catalog-entity',
            conditions: { rule: 'NOPE', resourceType: 'catalog-entity' },
          },
        ],
      },
      "Permission rule 'NOPE' does not exist for resource type 'catalog-entity'",
    ],
    [
      {
        items: [
          {
            id: '1',
            resourceRef: 'component:default/a',
            resourceType: 'catalog-entity',
            conditions: { rule: 'IS_KIND', resourceType: 'catalog-entity', params: { kind: 3 } },
          },
        ],
      },
      "Invalid parameters for permission rule 'IS_KIND': Invalid input: expected string, received number",
    ],
  ])('should answer 400 to a bad request %#', async (body, message) => {
    const response = await call('POST', 'apply-conditions', body);
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ name: 'InputError', message });
  });

  it('should refuse deeply nested conditions', async () => {
    let conditions: object = {
      rule: 'IS_KIND',
      resourceType: 'catalog-entity',
      params: { kind: 'API' },
    };
    for (let i = 0; i < 40; i++) {
      conditions = { not: conditions };
    }
    const response = await call('POST', 'apply-conditions', {
      items: [
        { id: '1', resourceRef: 'api:default/b', resourceType: 'catalog-entity', conditions },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/conditions are nested deeper than 32 levels$/);
  });

  it('should keep the endpoints behind the credentials check', async () => {
    const response = await rawRequest(backend.baseUrl, {
      path: '/api/catalog/.well-known/backstage/permissions/metadata',
    });
    expect(response.status).toBe(401);
  });

  it('should refuse resource types of other plugins', () => {
    const foreign = { ...resourceRef, pluginId: 'scaffolder' };
    expect(() => registry.addResourceType({ resourceRef: foreign, rules: [] })).toThrow(
      "Resource type 'catalog-entity' belongs to plugin 'scaffolder', but was used with plugin 'catalog'",
    );
    expect(() => registry.getPermissionRuleset(foreign)).toThrow(
      "Resource type 'catalog-entity' belongs to plugin 'scaffolder', but was used with plugin 'catalog'",
    );
  });

  it('should give the ruleset of a resource type', () => {
    const ruleset = registry.getPermissionRuleset(resourceRef);
    expect(ruleset.getRuleByName('IS_OWNER')).toBe(isOwner);
    expect(() => ruleset.getRuleByName('NOPE')).toThrow(
      "Permission rule 'NOPE' does not exist for resource type 'catalog-entity'",
    );
  });

  it('should refuse duplicate rules and registrations after start', () => {
    expect(() => registry.addPermissionRules([isOwner as never])).toThrow(
      "Permission rule 'IS_OWNER' of resource type 'catalog-entity' is already registered; rule names must be unique per resource type",
    );
    startHooks.forEach(hook => hook());
    expect(() => registry.addPermissions([])).toThrow(
      "Cannot add permissions to plugin 'catalog' after it has started; register them in the plugin's init",
    );
  });
});
