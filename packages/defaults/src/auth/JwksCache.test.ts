import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { createTestKey, signToken, type TestKey } from './__fixtures__/keys';
import { JwksCache } from './JwksCache';

describe('JwksCache', () => {
  let server: Server;
  let url: string;
  let published: TestKey[];
  let status: number;
  let fetches: number;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.statusCode = status;
      res.end(JSON.stringify({ keys: published.map(key => key.publicJwk) }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    fetches = 0;
    status = 200;
  });

  it('should fetch once and reuse the keys', async () => {
    const key = await createTestKey();
    published = [key];
    const getKey = new JwksCache().keyResolver(async () => url);
    for (let i = 0; i < 3; i++) {
      await jwtVerify(await signToken(key, {}, { sub: 'x' }), getKey);
    }
    expect(fetches).toBe(1);
  });

  it('should refetch for an unknown key id, at most once per interval', async () => {
    const first = await createTestKey();
    const second = await createTestKey();
    published = [first];
    const getKey = new JwksCache({ minRefreshIntervalMs: 1000 }).keyResolver(async () => url);
    await jwtVerify(await signToken(first, {}, {}), getKey);

    published = [first, second];
    const stranger = await createTestKey();
    await expect(jwtVerify(await signToken(stranger, {}, {}), getKey)).rejects.toThrow(
      'no applicable key found in the JSON Web Key Set',
    );
    expect(fetches).toBe(1);

    await new Promise(resolve => setTimeout(resolve, 1050));
    await jwtVerify(await signToken(second, {}, {}), getKey);
    expect(fetches).toBe(2);
  });

  it('should report a failed fetch and retry it after the interval', async () => {
    const key = await createTestKey();
    published = [key];
    status = 500;
    const getKey = new JwksCache({ minRefreshIntervalMs: 1000 }).keyResolver(async () => url);
    await expect(jwtVerify(await signToken(key, {}, {}), getKey)).rejects.toThrow(
      `Could not fetch the public keys at '${url}': HTTP 500`,
    );
    await expect(jwtVerify(await signToken(key, {}, {}), getKey)).rejects.toThrow('HTTP 500');
    expect(fetches).toBe(1);
    status = 200;
    await new Promise(resolve => setTimeout(resolve, 1050));
    await jwtVerify(await signToken(key, {}, {}), getKey);
    expect(fetches).toBe(2);
  });

  it('should share one request between concurrent lookups', async () => {
    const key = await createTestKey();
    published = [key];
    const getKey = new JwksCache().keyResolver(async () => url);
    const token = await signToken(key, {}, {});
    await Promise.all(Array.from({ length: 10 }, () => jwtVerify(token, getKey)));
    expect(fetches).toBe(1);
  });
});
