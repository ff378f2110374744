import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CompactSign, decodeJwt, decodeProtectedHeader, jwtVerify, createLocalJWKSet } from 'jose';
import { createTestKey, now, signToken, type TestKey } from './__fixtures__/keys';
import {
  createTestAuth,
  createTestConfig,
  createTestDatabase,
  createTestDiscovery,
} from './__fixtures__/services';
import { TestBackend } from './__fixtures__/testBackend';
import { PUBLIC_KEYS_TABLE } from './keys/DatabaseKeyStore';

/** A user token as the official auth plugin issues it, with the `uip` proof of its limited form. */
async function officialUserToken(key: TestKey, issuer: string, sub: string, ttl = 3600) {
  const iat = now();
  const exp = iat + ttl;
  const proof = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sub, iat, exp })))
    .setProtectedHeader({ typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: key.kid })
    .sign(key.privateKey);
  return signToken(
    key,
    { typ: 'vnd.backstage.user' },
    {
      iss: issuer,
      sub,
      ent: [sub, 'group:default/team'],
      aud: 'backstage',
      iat,
      exp,
      uip: proof.split('.')[2],
    },
  );
}

describe('DefaultAuthService', () => {
  let backend: TestBackend;
  let authKey: TestKey;

  beforeAll(async () => {
    backend = await TestBackend.start();
    authKey = await createTestKey();
    backend.addKeyPublisher('auth', [authKey]);
    await backend.addPlugin('a', () => {});
    await backend.addPlugin('b', () => {});
  });

  afterAll(async () => {
    await backend.close();
  });

  const auth = (id: string) => backend.plugins.get(id)!.auth;
  const issuer = () => `${backend.baseUrl}/api/auth`;

  it('should give own service credentials with the official shape and subject plugin:<id>', async () => {
    const credentials = await auth('a').getOwnServiceCredentials();
    expect(credentials).toEqual({
      $$type: '@backstage/BackstageCredentials',
      version: 'v1',
      principal: { type: 'service', subject: 'plugin:a' },
    });
  });

  it('should let plugin b see service principal plugin:a for a token a issued for b', async () => {
    const { token } = await auth('a').getPluginRequestToken({
      onBehalfOf: await auth('a').getOwnServiceCredentials(),
      targetPluginId: 'b',
    });
    expect(decodeProtectedHeader(token)).toMatchObject({
      typ: 'vnd.backstage.plugin',
      alg: 'ES256',
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'a', aud: 'b' });
    expect(claims.exp! - claims.iat!).toBe(3600);

    const credentials = await auth('b').authenticate(token);
    expect(credentials.principal).toEqual({ type: 'service', subject: 'plugin:a' });
    expect(Object.keys(credentials)).not.toContain('token');
    expect((credentials as { token?: string }).token).toBe(token);
    expect(JSON.stringify(credentials)).not.toContain(token);
  });

  it('should refuse a token a issued for b when it is presented to a', async () => {
    const { token } = await auth('a').getPluginRequestToken({
      onBehalfOf: await auth('a').getOwnServiceCredentials(),
      targetPluginId: 'b',
    });
    await expect(auth('a').authenticate(token)).rejects.toThrow(
      "Invalid plugin token: it was issued for plugin 'b', not for 'a'",
    );
  });

  it('should let plugin b see the user when a calls on behalf of that user', async () => {
    const userToken = await officialUserToken(authKey, issuer(), 'user:default/alice');
    const userCredentials = await auth('a').authenticate(userToken);
    expect(userCredentials.principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
    });

    const { token } = await auth('a').getPluginRequestToken({
      onBehalfOf: userCredentials,
      targetPluginId: 'b',
    });
    const obo = decodeJwt(token).obo as string;
    expect(decodeProtectedHeader(obo).typ).toBe('vnd.backstage.limited-user');

    const seen = await auth('b').authenticate(token);
    expect(seen.principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      actor: { type: 'service', subject: 'plugin:a' },
    });
    expect(seen.expiresAt).toEqual(userCredentials.expiresAt);
  });

  it('should derive a limited user token that verifies with the auth plugin key', async () => {
    const userToken = await officialUserToken(authKey, issuer(), 'user:default/bob');
    const credentials = await auth('a').authenticate(userToken);
    const { token, expiresAt } = await auth('a').getLimitedUserToken(credentials as never);
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet({ keys: [authKey.publicJwk] }),
    );
    expect(protectedHeader).toEqual({
      typ: 'vnd.backstage.limited-user',
      alg: 'ES256',
      kid: authKey.kid,
    });
    expect(Object.keys(payload)).toEqual(['sub', 'iat', 'exp']);
    expect(expiresAt.getTime()).toBe(payload.exp! * 1000);

    await expect(auth('a').authenticate(token)).rejects.toThrow('Illegal limited user token');
    const limited = await auth('a').authenticate(token, { allowLimitedAccess: true });
    expect(limited.principal).toEqual({ type: 'user', userEntityRef: 'user:default/bob' });
  });

  it('should still refuse a limited token without limited access after verifying it once', async () => {
    const userToken = await officialUserToken(authKey, issuer(), 'user:default/frank');
    const credentials = await auth('a').authenticate(userToken);
    const { token } = await auth('a').getLimitedUserToken(credentials as never);
    await auth('a').authenticate(token, { allowLimitedAccess: true });
    await expect(auth('a').authenticate(token)).rejects.toThrow('Illegal limited user token');
    const again = await auth('a').authenticate(token, { allowLimitedAccess: true });
    expect(again).not.toBe(credentials);
    expect(again.principal).toEqual({ type: 'user', userEntityRef: 'user:default/frank' });
  });

  it('should refuse to issue a token for none credentials', async () => {
    await expect(
      auth('a').getPluginRequestToken({
        onBehalfOf: await auth('a').getNoneCredentials(),
        targetPluginId: 'b',
      }),
    ).rejects.toThrow(
      "Refused to issue a plugin request token for 'none' credentials to call plugin 'b'; call on behalf of the request's user or of auth.getOwnServiceCredentials()",
    );
  });

  it('should refuse a target that is not a plugin id', async () => {
    await expect(
      auth('a').getPluginRequestToken({
        onBehalfOf: await auth('a').getOwnServiceCredentials(),
        targetPluginId: '../b',
      }),
    ).rejects.toThrow("Cannot issue a plugin request token: '../b' is not a plugin id");
  });

  it('should reject credentials that are not credentials', async () => {
    await expect(
      auth('a').getPluginRequestToken({ onBehalfOf: {} as never, targetPluginId: 'b' }),
    ).rejects.toThrow(
      "Invalid credentials: expected an object with $$type '@backstage/BackstageCredentials'",
    );
  });

  it('should tell principal types apart', async () => {
    const service = await auth('a').getOwnServiceCredentials();
    const none = await auth('a').getNoneCredentials();
    expect(auth('a').isPrincipal(service, 'service')).toBe(true);
    expect(auth('a').isPrincipal(service, 'user')).toBe(false);
    expect(auth('a').isPrincipal(none, 'none')).toBe(true);
    expect(auth('a').isPrincipal(none, 'unknown')).toBe(true);
  });

  it('should store the public signing key in the plugin database with an expiry', async () => {
    const { knex } = backend.plugins.get('a')!.database as ReturnType<typeof createTestDatabase>;
    const rows = await knex(PUBLIC_KEYS_TABLE).select();
    expect(rows).toHaveLength(1);
    const key = JSON.parse(rows[0].key);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: rows[0].id });
    expect(key.d).toBeUndefined();
    const hours = (new Date(rows[0].expires_at).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(2.9);
    expect(hours).toBeLessThanOrEqual(3);

    const { keys } = await auth('a').listPublicServiceKeys();
    expect(keys).toEqual([key]);
  });

  it('should find a new key of the caller published after the first lookup', async () => {
    // b has cached a's keys; a second replica of a (same database) signs with its own key.
    const replica = await createTestAuth({
      pluginId: 'a',
      discovery: backend.discovery,
      database: backend.plugins.get('a')!.database,
    });
    await new Promise(resolve => setTimeout(resolve, 1100));
    const { token } = await replica.getPluginRequestToken({
      onBehalfOf: await replica.getOwnServiceCredentials(),
      targetPluginId: 'b',
    });
    const credentials = await auth('b').authenticate(token);
    expect(credentials.principal).toEqual({ type: 'service', subject: 'plugin:a' });
    expect((await auth('a').listPublicServiceKeys()).keys).toHaveLength(2);
  });

  it('should issue an empty token for none credentials when the default auth policy is disabled', async () => {
    const discovery = createTestDiscovery(() => 'http://127.0.0.1:1');
    const open = await createTestAuth({
      pluginId: 'a',
      discovery,
      config: createTestConfig({
        backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
      }),
    });
    await expect(
      open.getPluginRequestToken({
        onBehalfOf: await open.getNoneCredentials(),
        targetPluginId: 'b',
      }),
    ).resolves.toEqual({ token: '' });
  });
});
