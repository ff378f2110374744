import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigSecretEnumerator } from './createConfigSecretEnumerator';
import { ConfigReader } from './ConfigReader';
import { findSchemaSecrets, readDefaultsConfigSchema } from './findSchemaSecrets';

const packageRoot = join(__dirname, '..', '..');

/** Every config path the schema marks secret, written as users write keys. */
function secretPaths(node: Record<string, unknown>, path = ''): string[] {
  const found = node.visibility === 'secret' ? [path] : [];
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, child] of Object.entries(properties)) {
    found.push(...secretPaths(child, path ? `${path}.${key}` : key));
  }
  if (typeof node.additionalProperties === 'object') {
    found.push(...secretPaths(node.additionalProperties as Record<string, unknown>, `${path}.*`));
  }
  if (node.items) {
    found.push(...secretPaths(node.items as Record<string, unknown>, `${path}[]`));
  }
  return found;
}

describe('config.schema.json of @backplane/defaults', () => {
  it('should be named by configSchema in package.json and shipped with the package', () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));

    expect(pkg.configSchema).toBe('config.schema.json');
    expect(pkg.files).toContain('config.schema.json');
  });

  it('should mark every secret key Backplane reads, and nothing else', () => {
    expect(secretPaths(readDefaultsConfigSchema() as Record<string, unknown>).sort()).toEqual([
      'backend.auth.externalAccess[].options.secret',
      'backend.auth.externalAccess[].options.token',
      'backend.auth.keys[].secret',
      'backend.cache.connection',
      'backend.database.connection',
      'backend.database.connection.password',
      'backend.database.connection.ssl.key',
      'backend.database.connection.ssl.passphrase',
      'backend.database.connection.ssl.pfx',
      'backend.database.plugin.*.connection',
      'backend.database.plugin.*.connection.password',
      'backend.database.plugin.*.connection.ssl.key',
      'backend.database.plugin.*.connection.ssl.passphrase',
      'backend.database.plugin.*.connection.ssl.pfx',
      'backend.https.certificate.key',
    ]);
  });

  it('should reach secret keys only through properties, additionalProperties and items', () => {
    // findSchemaSecrets follows nothing else, so a branch keyword would hide a secret from logs.
    const text = readFileSync(join(packageRoot, 'config.schema.json'), 'utf8');

    for (const keyword of ['anyOf', 'oneOf', 'allOf', '$ref', 'patternProperties', 'if']) {
      expect(text).not.toContain(`"${keyword}"`);
    }
    expect(text).not.toContain('"additionalProperties": false');
  });
});

describe('findSchemaSecrets', () => {
  it('should list the strings at secret keys and leave the other strings out', () => {
    const data = {
      backend: {
        https: { certificate: { cert: 'CERT', key: '-----BEGIN PRIVATE KEY-----' } },
        database: {
          connection: { host: 'db', user: 'app', password: 'db-pw', ssl: { ca: 'CA' } },
          plugin: { catalog: { connection: 'postgresql://app:pw@db/catalog' } },
        },
        auth: { externalAccess: [{ type: 'static', options: { token: 'tok', subject: 's' } }] },
      },
    };

    expect(findSchemaSecrets(readDefaultsConfigSchema(), data).sort()).toEqual([
      '-----BEGIN PRIVATE KEY-----',
      'db-pw',
      'postgresql://app:pw@db/catalog',
      'tok',
    ]);
  });
});

describe('createConfigSecretEnumerator with the config schema', () => {
  it('should list secrets whose key names do not look secret', () => {
    const config = new ConfigReader({
      backend: {
        https: { certificate: { cert: 'public-cert', key: 'pem-private-key' } },
        cache: { store: 'redis', connection: 'rediss://cache.internal:6380' },
      },
    });

    expect([...createConfigSecretEnumerator()(config)].sort()).toEqual([
      'pem-private-key',
      'rediss://cache.internal:6380',
    ]);
  });

  it('should not take the in-memory SQLite connection for a secret', () => {
    const config = new ConfigReader({
      backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
    });

    expect([...createConfigSecretEnumerator()(config)]).toEqual([]);
  });
});
