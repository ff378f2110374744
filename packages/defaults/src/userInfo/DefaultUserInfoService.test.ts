import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url } from 'jose';
import { createServiceCredentials, createUserCredentials } from '../auth/credentials';
import { createTestDiscovery } from '../auth/__fixtures__/services';
import { DefaultUserInfoService } from './DefaultUserInfoService';

const token = (payload: object) =>
  `${base64url.encode('{"alg":"ES256"}')}.${base64url.encode(JSON.stringify(payload))}.sig`;

describe('DefaultUserInfoService', () => {
  let server: Server;
  let requests: Array<string | undefined>;
  let reply: { status: number; body: unknown };
  let service: DefaultUserInfoService;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.headers.authorization);
      res.statusCode = req.url === '/api/auth/v1/userinfo' ? reply.status : 404;
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    service = new DefaultUserInfoService({ discovery: createTestDiscovery(() => base) });
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    requests = [];
    reply = { status: 200, body: { claims: { sub: 'user:default/a', ent: ['group:default/x'] } } };
  });

  const user = (payload: object) =>
    createUserCredentials({ userEntityRef: 'user:default/a', token: token(payload) });

  it('should read ownership from the ent claim without a request', async () => {
    const info = await service.getUserInfo(
      user({ sub: 'user:default/a', ent: ['user:default/a', 'group:default/y'] }),
    );
    expect(info).toEqual({
      userEntityRef: 'user:default/a',
      ownershipEntityRefs: ['user:default/a', 'group:default/y'],
    });
    expect(requests).toEqual([]);
  });

  it('should ask the auth plugin when the token has no ent claim, once per token', async () => {
    const credentials = user({ sub: 'user:default/a', iat: 1 });
    expect(await service.getUserInfo(credentials)).toEqual({
      userEntityRef: 'user:default/a',
      ownershipEntityRefs: ['group:default/x'],
    });
    await service.getUserInfo(credentials);
    expect(requests).toEqual([`Bearer ${(credentials as { token?: string }).token}`]);
  });

  it('should name the URL and status when the auth plugin fails', async () => {
    reply = { status: 401, body: { error: 'nope' } };
    await expect(service.getUserInfo(user({ sub: 'user:default/a', iat: 2 }))).rejects.toThrow(
      /^Could not look up the ownership of 'user:default\/a' at 'http:\/\/127\.0\.0\.1:\d+\/api\/auth\/v1\/userinfo': HTTP 401/,
    );
  });

  it('should refuse credentials that are not a user', async () => {
    await expect(service.getUserInfo(createServiceCredentials('plugin:x'))).rejects.toThrow(
      "getUserInfo needs user credentials, got 'service' credentials; check auth.isPrincipal(credentials, 'user') first",
    );
  });

  it('should refuse ownership that is not a list of strings', async () => {
    await expect(
      service.getUserInfo(user({ sub: 'user:default/a', ent: 'group:default/x' })),
    ).rejects.toThrow(
      "Ownership entity refs in the token's 'ent' claim must be an array of strings",
    );
  });
});
