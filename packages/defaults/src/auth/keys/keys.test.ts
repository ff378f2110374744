import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { createTestConfig, createTestDatabase, createTestLogger } from '../__fixtures__/services';
import { createPluginKeySource } from './createPluginKeySource';
import { DatabaseKeyStore, migratePublicKeysTable, PUBLIC_KEYS_TABLE } from './DatabaseKeyStore';
import { DatabasePluginKeySource } from './DatabasePluginKeySource';

describe('DatabasePluginKeySource', () => {
  it('should rotate to a new signing key after the key duration and keep publishing the old one', async () => {
    const database = createTestDatabase();
    await migratePublicKeysTable(database.knex);
    const store = new DatabaseKeyStore(database.knex, createTestLogger());
    const source = new DatabasePluginKeySource({
      getStore: async () => store,
      logger: createTestLogger(),
      keyDurationSeconds: 1,
    });

    const first = await source.getPrivateSigningKey();
    expect(await source.getPrivateSigningKey()).toBe(first);
    await new Promise(resolve => setTimeout(resolve, 1100));
    const second = await source.getPrivateSigningKey();
    expect(second.kid).not.toBe(first.kid);

    const kids = (await source.listKeys()).keys.map(entry => entry.id).sort();
    expect(kids).toEqual([first.kid, second.kid].sort());
    await database.knex.destroy();
  });

  it('should stop publishing and remove keys once expired', async () => {
    const database = createTestDatabase();
    await migratePublicKeysTable(database.knex);
    const store = new DatabaseKeyStore(database.knex, createTestLogger());
    await store.addKey({
      id: 'old',
      key: { kty: 'EC', kid: 'old' },
      expiresAt: new Date(Date.now() - 1000),
    });
    await store.addKey({
      id: 'new',
      key: { kty: 'EC', kid: 'new' },
      expiresAt: new Date(Date.now() + 60_000),
    });

    expect((await store.listKeys()).keys.map(entry => entry.id)).toEqual(['new']);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect((await database.knex(PUBLIC_KEYS_TABLE).select('id')).map(row => row.id)).toEqual([
      'new',
    ]);
    await database.knex.destroy();
  });

  it('should not sign before the public key is stored, and retry after a failure', async () => {
    let fail = true;
    const database = createTestDatabase();
    await migratePublicKeysTable(database.knex);
    const store = new DatabaseKeyStore(database.knex, createTestLogger());
    const source = new DatabasePluginKeySource({
      getStore: async () => {
        if (fail) {
          throw new Error('database down');
        }
        return store;
      },
      logger: createTestLogger(),
      keyDurationSeconds: 3600,
    });
    await expect(source.getPrivateSigningKey()).rejects.toThrow('database down');
    fail = false;
    const key = await source.getPrivateSigningKey();
    expect((await store.listKeys()).keys.map(entry => entry.id)).toEqual([key.kid]);
    await database.knex.destroy();
  });

  it('should create the table with the migration name of the official runtime', async () => {
    const database = createTestDatabase();
    await migratePublicKeysTable(database.knex);
    await migratePublicKeysTable(database.knex);
    const migrations = await database
      .knex('backstage_backend_public_keys__knex_migrations')
      .select('name');
    expect(migrations).toEqual([{ name: '20240327104803_public_keys.js' }]);
    await database.knex.destroy();
  });
});

describe('createPluginKeySource', () => {
  it('should open the database only when a key is first needed, and not migrate when migrations are skipped', async () => {
    const database = createTestDatabase();
    let opened = 0;
    const source = await createPluginKeySource({
      config: createTestConfig(),
      database: {
        getClient: async () => {
          opened++;
          return database.knex;
        },
      },
      logger: createTestLogger(),
      keyDurationSeconds: 3600,
    });
    expect(opened).toBe(0);
    await source.getPrivateSigningKey();
    await source.listKeys();
    expect(opened).toBe(1);

    const skipping = await createPluginKeySource({
      config: createTestConfig(),
      database: { getClient: async () => createTestDatabase().knex, migrations: { skip: true } },
      logger: createTestLogger(),
      keyDurationSeconds: 3600,
    });
    await expect(skipping.listKeys()).rejects.toThrow(
      'no such table: backstage_backend_public_keys__keys',
    );
    await database.knex.destroy();
  });

  it('should reject an unknown key store type naming the config key', async () => {
    await expect(
      createPluginKeySource({
        config: createTestConfig({ backend: { auth: { pluginKeyStore: { type: 'vault' } } } }),
        database: createTestDatabase(),
        logger: createTestLogger(),
        keyDurationSeconds: 3600,
      }),
    ).rejects.toThrow(
      "Invalid config 'backend.auth.pluginKeyStore.type': unknown plugin key store type 'vault', expected 'database' or 'static'",
    );
  });

  it('should sign with the first static key pair and publish all of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backplane-keys-'));
    const write = async (name: string) => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      writeFileSync(join(dir, `${name}.pub`), await exportSPKI(pair.publicKey));
      writeFileSync(join(dir, `${name}.key`), await exportPKCS8(pair.privateKey));
    };
    await write('one');
    await write('two');
    const source = await createPluginKeySource({
      config: createTestConfig({
        backend: {
          auth: {
            pluginKeyStore: {
              type: 'static',
              static: {
                keys: [
                  {
                    keyId: 'one',
                    publicKeyFile: join(dir, 'one.pub'),
                    privateKeyFile: join(dir, 'one.key'),
                  },
                  { keyId: 'two', publicKeyFile: join(dir, 'two.pub') },
                ],
              },
            },
          },
        },
      }),
      database: createTestDatabase(),
      logger: createTestLogger(),
      keyDurationSeconds: 3600,
    });
    expect(await source.getPrivateSigningKey()).toMatchObject({
      kid: 'one',
      alg: 'ES256',
      d: expect.any(String),
    });
    expect((await source.listKeys()).keys.map(entry => entry.key.kid)).toEqual(['one', 'two']);
  });

  it('should name the config entry when a static key file is missing or has no private key', async () => {
    const config = (keys: object[]) =>
      createTestConfig({
        backend: { auth: { pluginKeyStore: { type: 'static', static: { keys } } } },
      });
    const options = {
      database: createTestDatabase(),
      logger: createTestLogger(),
      keyDurationSeconds: 60,
    };
    await expect(
      createPluginKeySource({
        ...options,
        config: config([{ keyId: 'x', publicKeyFile: '/nope.pub' }]),
      }),
    ).rejects.toThrow(
      "Invalid config 'backend.auth.pluginKeyStore.static.keys[0]': cannot read the public key file '/nope.pub'",
    );
    await expect(createPluginKeySource({ ...options, config: config([]) })).rejects.toThrow(
      "Invalid config 'backend.auth.pluginKeyStore.static.keys': the static plugin key store needs at least one key pair",
    );
  });
});
