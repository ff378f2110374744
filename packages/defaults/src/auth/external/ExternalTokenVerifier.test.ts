import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { JsonObject } from '@backplane/plugin-api';
import { createTestKey, now, signToken, type TestKey } from '../__fixtures__/keys';
import { createTestConfig, createTestLogger } from '../__fixtures__/services';
import { JwksCache } from '../JwksCache';
import { createExternalTokenHandler } from './createExternalTokenHandler';
import { ExternalTokenVerifier } from './ExternalTokenVerifier';

const SECRET = Buffer.from('a shared legacy secret of enough length').toString('base64');

function verifier(
  externalAccess: JsonObject[] | JsonObject,
  pluginId = 'catalog',
  extra: JsonObject = {},
) {
  return ExternalTokenVerifier.fromConfig({
    ownPluginId: pluginId,
    config: createTestConfig({ backend: { auth: { externalAccess, ...extra } } } as JsonObject),
    logger: createTestLogger(),
    jwks: new JwksCache(),
  });
}

function legacyToken(claims: Record<string, unknown>, secret = SECRET) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(Buffer.from(secret, 'base64')));
}

describe('ExternalTokenVerifier', () => {
  describe('static', () => {
    const entry = {
      type: 'static',
      options: { token: 'static-token-123', subject: 'smoke-tests' },
    };

    it('should accept the configured token with its subject and nothing else', async () => {
      const v = verifier([entry]);
      await expect(v.verifyToken('static-token-123')).resolves.toEqual({ subject: 'smoke-tests' });
      await expect(v.verifyToken('static-token-1234')).resolves.toBeUndefined();
      await expect(v.verifyToken('STATIC-TOKEN-123')).resolves.toBeUndefined();
    });

    it.each([
      [
        'short',
        "Invalid config 'backend.auth.externalAccess[0].options.token': a static token must be at least 8 characters long",
      ],
      [
        'with space',
        "Invalid config 'backend.auth.externalAccess[0].options.token': a static token must not be empty or contain whitespace",
      ],
    ])('should refuse a %s token naming the config key', (token, message) => {
      expect(() => verifier([{ type: 'static', options: { token, subject: 's' } }])).toThrow(
        message,
      );
    });

    it('should refuse the same token twice', () => {
      expect(() => verifier([entry, entry])).toThrow(
        "Invalid config 'backend.auth.externalAccess[1].options.token': the same static token is configured twice",
      );
    });
  });

  describe('accessRestrictions', () => {
    const restricted = (accessRestrictions: JsonObject[]) => [
      { type: 'static', options: { token: 'restricted-token', subject: 'ci' }, accessRestrictions },
    ];

    it('should refuse a call to a plugin outside the restrictions with NotAllowedError', async () => {
      const v = verifier(restricted([{ plugin: 'scaffolder' }, { plugin: 'search' }]));
      await expect(v.verifyToken('restricted-token')).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "This token's access is restricted to plugin(s) 'scaffolder', 'search', so it may not call plugin 'catalog'",
      });
    });

    it('should carry permission restrictions into the principal', async () => {
      const v = verifier(
        restricted([
          {
            plugin: 'catalog',
            permission: 'catalog.entity.read, catalog.location.read',
            permissionAttribute: { action: ['read'] },
          },
        ]),
      );
      await expect(v.verifyToken('restricted-token')).resolves.toEqual({
        subject: 'ci',
        accessRestrictions: {
          permissionNames: ['catalog.entity.read', 'catalog.location.read'],
          permissionAttributes: { action: ['read'] },
        },
      });
    });

    it('should allow every permission when the plugin entry has no permission restrictions', async () => {
      const v = verifier(restricted([{ plugin: 'catalog' }]));
      await expect(v.verifyToken('restricted-token')).resolves.toEqual({ subject: 'ci' });
    });

    it.each([
      [
        [{ plugin: 'catalog', permisson: 'x' }],
        "Invalid config 'backend.auth.externalAccess[0].accessRestrictions[0]': unknown key 'permisson', expected 'plugin', 'permission' or 'permissionAttribute'",
      ],
      [
        [{ plugin: 'catalog' }, { plugin: 'catalog' }],
        "Invalid config 'backend.auth.externalAccess[0].accessRestrictions[1].plugin': plugin 'catalog' is restricted twice in the same entry",
      ],
      [
        [{ plugin: 'catalog', permissionAttribute: { action: 'write' } }],
        "Invalid config 'backend.auth.externalAccess[0].accessRestrictions[0].permissionAttribute.action': 'write' is not one of 'create', 'read', 'update', 'delete'",
      ],
      [
        [{ plugin: '../x' }],
        "Invalid config 'backend.auth.externalAccess[0].accessRestrictions[0].plugin': '../x' is not a plugin id",
      ],
    ])('should reject invalid restrictions %#', (restrictions, message) => {
      expect(() => verifier(restricted(restrictions as JsonObject[]))).toThrow(message);
    });
  });

  describe('legacy', () => {
    const entry = { type: 'legacy', options: { secret: SECRET, subject: 'legacy-caller' } };

    it('should accept an HS256 backstage-server token with exp', async () => {
      const token = await legacyToken({ sub: 'backstage-server', exp: now(60) });
      await expect(verifier([entry]).verifyToken(token)).resolves.toEqual({
        subject: 'legacy-caller',
      });
    });

    it.each([
      ['without exp', { sub: 'backstage-server' }, SECRET],
      ['expired', { sub: 'backstage-server', exp: now(-60) }, SECRET],
      ['with another subject', { sub: 'someone', exp: now(60) }, SECRET],
      ['with an audience', { sub: 'backstage-server', aud: 'catalog', exp: now(60) }, SECRET],
      [
        'with another secret',
        { sub: 'backstage-server', exp: now(60) },
        Buffer.from('other secret value').toString('base64'),
      ],
    ])('should not accept a token %s', async (_name, claims, secret) => {
      const token = await legacyToken(claims, secret);
      await expect(verifier([entry]).verifyToken(token)).resolves.toBeUndefined();
    });

    it('should read the deprecated backend.auth.keys with the official subject', async () => {
      const v = verifier([], 'catalog', { keys: [{ secret: SECRET }] });
      const token = await legacyToken({ sub: 'backstage-server', exp: now(60) });
      await expect(v.verifyToken(token)).resolves.toEqual({ subject: 'external:backstage-plugin' });
    });
  });

  describe('jwks', () => {
    let server: Server;
    let url: string;
    let key: TestKey;

    beforeAll(async () => {
      key = await createTestKey();
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [key.publicJwk] }));
      });
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise(resolve => server.close(resolve)));

    const entry = () => ({
      type: 'jwks',
      options: { url, issuer: 'https://idp.example', audience: 'backstage', subjectPrefix: 'idp' },
    });
    const token = (claims: Record<string, unknown>) =>
      signToken(
        key,
        {},
        {
          iss: 'https://idp.example',
          aud: 'backstage',
          sub: 'robot',
          iat: now(),
          exp: now(60),
          ...claims,
        },
      );

    it('should accept a token of the issuer with the prefixed subject', async () => {
      await expect(verifier([entry()]).verifyToken(await token({}))).resolves.toEqual({
        subject: 'external:idp:robot',
      });
    });

    it.each([
      ['another issuer', { iss: 'https://evil.example' }],
      ['another audience', { aud: 'other' }],
      ['an expired token', { exp: now(-60) }],
      ['no subject', { sub: undefined }],
    ])('should not accept %s', async (_name, claims) => {
      await expect(verifier([entry()]).verifyToken(await token(claims))).resolves.toBeUndefined();
    });

    it('should reject a URL that is not one, naming the key', () => {
      expect(() => verifier([{ type: 'jwks', options: { url: 'not a url' } }])).toThrow(
        "Invalid config 'backend.auth.externalAccess[0].options.url': the JWKS URL must not be empty or contain whitespace",
      );
    });
  });

  describe('custom handlers', () => {
    const apiKeys = createExternalTokenHandler<{ prefix: string }>({
      type: 'api-key',
      initialize: ({ options }) => ({ prefix: options.getString('prefix') }),
      async verifyToken(token, context) {
        return token.startsWith(context.prefix)
          ? { subject: `api-key:${token.slice(context.prefix.length)}` }
          : undefined;
      },
    });

    it('should use a custom handler for its type', async () => {
      const v = ExternalTokenVerifier.fromConfig({
        ownPluginId: 'catalog',
        config: createTestConfig({
          backend: { auth: { externalAccess: [{ type: 'api-key', options: { prefix: 'key_' } }] } },
        }),
        logger: createTestLogger(),
        jwks: new JwksCache(),
        customHandlers: [apiKeys as never],
      });
      await expect(v.verifyToken('key_42')).resolves.toEqual({ subject: 'api-key:42' });
    });

    it('should reject an unknown type listing the known ones', () => {
      expect(() => verifier([{ type: 'api-key', options: {} }])).toThrow(
        "Invalid config 'backend.auth.externalAccess[0].type': unknown type 'api-key', expected one of 'static', 'legacy', 'jwks'",
      );
    });
  });
});
