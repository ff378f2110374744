import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { ConfigReader } from '@backplane/defaults/rootConfig';
import { statusCodeByErrorName } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backplane/plugin-api';
import { DefaultActionsRegistryService } from './DefaultActionsRegistryService';
import { DefaultActionsService } from '../actions/DefaultActionsService';

const logger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => logger,
};

const creds = (principal: unknown) =>
  ({ $$type: '@backstage/BackstageCredentials', principal }) as BackstageCredentials;

const auth = {
  isPrincipal: (c: BackstageCredentials, type: string) =>
    (c.principal as { type: string }).type === type,
  getPluginRequestToken: async ({ targetPluginId }: { targetPluginId: string }) => ({
    token: `token-for-${targetPluginId}`,
  }),
} as unknown as AuthService;

/** Reads `Bearer user:<ref>` or `Bearer token-for-<plugin>`; anything else is anonymous. */
const httpAuth = {
  credentials: async (req: express.Request) => {
    const token = req.get('authorization')?.replace(/^Bearer /, '') ?? '';
    if (token.startsWith('user:')) {
      return creds({ type: 'user', userEntityRef: token });
    }
    if (token.startsWith('token-for-')) {
      return creds({ type: 'service', subject: 'plugin:caller' });
    }
    return creds({ type: 'none' });
  },
} as unknown as HttpAuthService;

const errorHandler: express.ErrorRequestHandler = (err, _req, res, _next) => {
  res
    .status(statusCodeByErrorName[err.name] ?? 500)
    .json({ error: { name: err.name, message: err.message } });
};

function createRegistry(pluginId = 'demo') {
  const registry = DefaultActionsRegistryService.create({ pluginId, logger, auth, httpAuth });
  registry.register({
    name: 'greet',
    title: 'Greet',
    description: 'Says hello',
    attributes: { readOnly: true },
    schema: {
      input: z => z.object({ name: z.string() }),
      output: z => z.object({ greeting: z.string() }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        greeting: `hello ${input.name} from ${(credentials.principal as { type: string }).type}`,
      },
    }),
  });
  registry.register({
    name: 'broken',
    title: 'Broken',
    description: 'Returns the wrong shape',
    schema: { input: z => z.object({}), output: z => z.object({ n: z.number() }) },
    action: async () => ({ output: { n: 'not a number' } }),
  });
  return registry;
}

describe('DefaultActionsRegistryService', () => {
  it('should validate registrations', () => {
    const registry = createRegistry();
    const base = {
      title: 't',
      description: 'd',
      schema: { input: (z: any) => z.object({}), output: (z: any) => z.object({}) },
      action: async () => ({ output: {} }),
    };
    expect(() => registry.register({ ...base, name: 'greet' })).toThrow(
      "Action 'demo:greet' is already registered; give each action its own name.",
    );
    expect(() => registry.register({ ...base, name: 'has space' })).toThrow(
      'Action name "has space" of plugin \'demo\' is invalid',
    );
    expect(() => registry.register({ ...base, name: 'no-title', title: '' })).toThrow(
      "Action 'demo:no-title' needs a title.",
    );
  });

  it('should list actions with JSON schemas and default attributes', async () => {
    const app = express().use(createRegistry().createRouter()).use(errorHandler);
    const res = await request(app)
      .get('/.backstage/actions/v1/actions')
      .set('authorization', 'Bearer user:default/alice');
    expect(res.status).toBe(200);
    expect(res.body.actions[0]).toEqual({
      id: 'demo:greet',
      pluginId: 'demo',
      name: 'greet',
      title: 'Greet',
      description: 'Says hello',
      schema: {
        input: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
          additionalProperties: false,
          $schema: 'http://json-schema.org/draft-07/schema#',
        },
        output: expect.objectContaining({ type: 'object', required: ['greeting'] }),
      },
      attributes: { readOnly: true, destructive: false, idempotent: false },
    });
    expect(res.body.actions[1].attributes).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
    });
  });

  it('should invoke an action, validating input and output', async () => {
    const app = express().use(createRegistry().createRouter()).use(errorHandler);
    const ok = await request(app)
      .post('/.backstage/actions/v1/actions/demo:greet/invoke')
      .set('authorization', 'Bearer user:default/alice')
      .send({ name: 'Ada' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ output: { greeting: 'hello Ada from user' } });

    const v2 = await request(app)
      .post('/.backstage/actions/v2/actions/demo:greet/invoke')
      .set('authorization', 'Bearer user:default/alice')
      .send({ input: { name: 'Bo' }, secrets: {} });
    expect(v2.body).toEqual({ output: { greeting: 'hello Bo from user' } });

    const bad = await request(app)
      .post('/.backstage/actions/v1/actions/demo:greet/invoke')
      .set('authorization', 'Bearer user:default/alice')
      .send({ name: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "Invalid input to action 'demo:greet': name: Expected string, received number",
    );

    const anonymous = await request(app)
      .post('/.backstage/actions/v1/actions/demo:greet/invoke')
      .send({ name: 'x' });
    expect(anonymous.status).toBe(403);

    const missing = await request(app)
      .post('/.backstage/actions/v1/actions/demo:nope/invoke')
      .set('authorization', 'Bearer user:default/alice')
      .send({});
    expect(missing.status).toBe(404);

    const broken = await request(app)
      .post('/.backstage/actions/v1/actions/demo:broken/invoke')
      .set('authorization', 'Bearer user:default/alice')
      .send({});
    expect(broken.status).toBe(500);
    expect(broken.body.error.message).toBe(
      "Action 'demo:broken' of plugin 'demo' returned output that does not match its schema: n: Expected number, received string",
    );
  });
});

describe('DefaultActionsService', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const app = express();
    app.use('/api/demo', createRegistry('demo').createRouter());
    app.use('/api/demo', errorHandler);
    server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
  });

  function createService(actions: object) {
    return DefaultActionsService.create({
      config: new ConfigReader({ backend: { actions } }),
      discovery: {
        getBaseUrl: async (id: string) => `${baseUrl}/api/${id}`,
        getExternalBaseUrl: async (id: string) => `${baseUrl}/api/${id}`,
      },
      auth,
      logger,
    });
  }

  it('should list the actions of the configured plugins, applying the filter', async () => {
    const credentials = creds({ type: 'user', userEntityRef: 'user:default/alice' });
    const all = await createService({ pluginSources: ['demo', 'absent'] }).list({ credentials });
    expect(all.actions.map(a => a.id)).toEqual(['demo:greet', 'demo:broken']);

    const filtered = await createService({
      pluginSources: ['demo'],
      filter: { exclude: [{ attributes: { destructive: true } }] },
    }).list({ credentials });
    expect(filtered.actions.map(a => a.id)).toEqual(['demo:greet']);

    const none = await createService({
      pluginSources: ['demo'],
      filter: { include: [{ id: 'other:*' }] },
    }).list({ credentials });
    expect(none.actions).toEqual([]);
  });

  it('should invoke an action in another plugin with a plugin token', async () => {
    const service = createService({ pluginSources: ['demo'] });
    const credentials = creds({ type: 'user', userEntityRef: 'user:default/alice' });
    await expect(
      service.invoke({ id: 'demo:greet', input: { name: 'Cy' }, credentials }),
    ).resolves.toEqual({ output: { greeting: 'hello Cy from service' } });
    await expect(
      service.invoke({ id: 'demo:greet', input: { name: 1 }, credentials }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Invoking action 'demo:greet' failed: Invalid input to action 'demo:greet': name: Expected string, received number",
    });
    await expect(service.invoke({ id: 'nocolon', credentials })).rejects.toThrow(
      "Action id 'nocolon' is invalid; action ids look like '<pluginId>:<name>'.",
    );
  });
});
