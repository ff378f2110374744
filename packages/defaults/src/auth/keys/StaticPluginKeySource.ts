import { readFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import type { Config } from '@backplane/plugin-api';
import { loadJose } from '../loadJose';
import type { PluginKeySource, PublicKeyEntry } from './types';

const CONFIG_KEY = 'backend.auth.pluginKeyStore.static.keys';

type KeyPair = { keyId: string; publicKey: JWK & { kid: string }; privateKey?: JWK };

/**
 * Key pairs read from PEM files (`backend.auth.pluginKeyStore.type: static`). The first pair
 * signs; all pairs are published, which lets keys be rotated by prepending a new pair.
 */
export class StaticPluginKeySource implements PluginKeySource {
  readonly #pairs: KeyPair[];
  readonly #publishMs: number;

  private constructor(pairs: KeyPair[], publishMs: number) {
    this.#pairs = pairs;
    this.#publishMs = publishMs;
  }

  static async fromConfig(config: Config, keyDurationSeconds: number) {
    const entries = config.getOptionalConfigArray(CONFIG_KEY) ?? [];
    if (entries.length === 0) {
      throw new Error(
        `Invalid config '${CONFIG_KEY}': the static plugin key store needs at least one key pair; add one or set 'backend.auth.pluginKeyStore.type' to 'database'`,
      );
    }
    const pairs = await Promise.all(
      entries.map(async (entry, index) => {
        const where = `${CONFIG_KEY}[${index}]`;
        const keyId = entry.getString('keyId');
        const algorithm = entry.getOptionalString('algorithm') ?? 'ES256';
        const publicKeyFile = entry.getString('publicKeyFile');
        const privateKeyFile = entry.getOptionalString('privateKeyFile');
        const publicKey = await loadKey(publicKeyFile, algorithm, 'public', where);
        const privateKey = privateKeyFile
          ? await loadKey(privateKeyFile, algorithm, 'private', where)
          : undefined;
        return {
          keyId,
          publicKey: { ...publicKey, kid: keyId, alg: algorithm },
          privateKey: privateKey && { ...privateKey, kid: keyId, alg: algorithm },
        };
      }),
    );
    if (!pairs[0].privateKey) {
      throw new Error(
        `Invalid config '${CONFIG_KEY}[0].privateKeyFile': the first static key pair signs plugin tokens, so it needs a private key file`,
      );
    }
    return new StaticPluginKeySource(pairs, keyDurationSeconds * 1000);
  }

  async getPrivateSigningKey() {
    return this.#pairs[0].privateKey as JWK & { kid: string; alg: string };
  }

  async listKeys(): Promise<{ keys: PublicKeyEntry[] }> {
    const expiresAt = new Date(Date.now() + this.#publishMs);
    return {
      keys: this.#pairs.map(pair => ({ id: pair.keyId, key: pair.publicKey, expiresAt })),
    };
  }
}

async function loadKey(
  file: string,
  algorithm: string,
  kind: 'public' | 'private',
  where: string,
): Promise<JWK> {
  const { exportJWK, importPKCS8, importSPKI } = await loadJose();
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Invalid config '${where}': cannot read the ${kind} key file '${file}'`, {
      cause: error,
    });
  }
  try {
    const key =
      kind === 'public'
        ? await importSPKI(pem, algorithm, { extractable: true })
        : await importPKCS8(pem, algorithm, { extractable: true });
    return await exportJWK(key);
  } catch (error) {
    const format = kind === 'public' ? 'an SPKI' : 'a PKCS#8';
    throw new Error(
      `Invalid config '${where}': '${file}' is not ${format} PEM ${kind} key for algorithm '${algorithm}'`,
      { cause: error },
    );
  }
}
