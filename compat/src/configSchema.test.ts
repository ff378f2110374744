import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The config-loader that devtools' /config uses, so the test reads schemas exactly as it does.
const requireFromDevtools = createRequire(require.resolve('@backstage/plugin-devtools-backend'));
const { loadConfigSchema } = requireFromDevtools('@backstage/config-loader');

const defaultsPackage = resolve(__dirname, '../../packages/defaults/package.json');
const officialDefaultsPackage = require.resolve('@backstage/backend-defaults/package.json');

type JsonObject = Record<string, unknown>;

/** Loads the schemas of the given package.json files and masks secrets the way devtools does. */
async function mask(packagePaths: string[], data: JsonObject) {
  const schema = await loadConfigSchema({ dependencies: [], packagePaths });
  const [processed] = schema.process([{ data, context: 'test' }], {
    valueTransform: (value: unknown, context: { visibility: string }) =>
      context.visibility === 'secret' ? '<secret>' : value,
  });
  return processed.data;
}

const config = {
  app: { baseUrl: 'http://localhost:3000' },
  backend: {
    baseUrl: 'http://localhost:7007',
    https: { certificate: { cert: 'PUBLIC CERT', key: 'PRIVATE KEY' } },
    auth: {
      keys: [{ secret: 'bGVnYWN5LWtleQ==' }],
      externalAccess: [
        { type: 'static', options: { token: 'static-token-1', subject: 'ci' } },
        { type: 'legacy', options: { secret: 'bGVnYWN5LXNlY3JldA==', subject: 'old' } },
        { type: 'jwks', options: { url: 'https://issuer.example/jwks', issuer: 'me' } },
      ],
    },
    database: {
      client: 'pg',
      connection: {
        host: 'db.internal',
        port: 5432,
        user: 'backstage',
        password: 'db-password',
        ssl: { ca: 'CA CERT', key: 'CLIENT KEY', rejectUnauthorized: true },
      },
      plugin: {
        catalog: { connection: 'postgresql://app:url-password@db.internal/catalog' },
        search: { connection: { password: 'search-password', ssl: true } },
      },
    },
    cache: { store: 'redis', connection: 'redis://:cache-password@cache.internal:6379' },
  },
};

const masked = {
  app: { baseUrl: 'http://localhost:3000' },
  backend: {
    baseUrl: 'http://localhost:7007',
    https: { certificate: { cert: 'PUBLIC CERT', key: '<secret>' } },
    auth: {
      keys: [{ secret: '<secret>' }],
      externalAccess: [
        { type: 'static', options: { token: '<secret>', subject: 'ci' } },
        { type: 'legacy', options: { secret: '<secret>', subject: 'old' } },
        { type: 'jwks', options: { url: 'https://issuer.example/jwks', issuer: 'me' } },
      ],
    },
    database: {
      client: 'pg',
      connection: {
        host: 'db.internal',
        port: 5432,
        user: 'backstage',
        password: '<secret>',
        ssl: { ca: 'CA CERT', key: '<secret>', rejectUnauthorized: true },
      },
      plugin: {
        catalog: { connection: '<secret>' },
        search: { connection: { password: '<secret>', ssl: true } },
      },
    },
    cache: { store: 'redis', connection: '<secret>' },
  },
};

describe("@backplane/defaults' config schema in @backstage/config-loader", () => {
  it('should mask every secret Backplane reads and keep the other values', async () => {
    expect(await mask([defaultsPackage], config)).toEqual(masked);
  });

  it("should merge with @backstage/backend-defaults' schema when both are installed", async () => {
    expect(await mask([defaultsPackage, officialDefaultsPackage], config)).toEqual(masked);
  });

  it('should accept the other forms Backplane reads without schema errors', async () => {
    const schema = await loadConfigSchema({ dependencies: [], packagePaths: [defaultsPackage] });
    const data = {
      backend: {
        https: false,
        database: { client: 'better-sqlite3', connection: ':memory:' },
        cache: { store: 'memory' },
        auth: { externalAccess: [] },
      },
    };

    expect(() => schema.process([{ data, context: 'test' }])).not.toThrow();
  });
});
