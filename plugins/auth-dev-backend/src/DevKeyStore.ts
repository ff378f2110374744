import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';
import type { LoggerService } from '@backplane/plugin-api';

const TABLE = 'auth_dev_public_keys';
const ALGORITHM = 'ES256';
/** Public keys stay published this many key periods, so every token a key signed can verify. */
const PUBLICATION_FACTOR = 3;

type SigningKey = { kid: string; key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'] };

/**
 * ES256 signing keys of the dev sign-in plugin. The private key stays in memory; the public key
 * goes to the plugin's database first, so tokens keep verifying across restarts and replicas.
 */
export class DevKeyStore {
  readonly #knex: Knex;
  readonly #logger: LoggerService;
  readonly #keyDurationMs: number;
  #current?: { key: Promise<SigningKey>; rotateAt: number };

  private constructor(knex: Knex, logger: LoggerService, keyDurationSeconds: number) {
    this.#knex = knex;
    this.#logger = logger;
    this.#keyDurationMs = keyDurationSeconds * 1000;
  }

  /** Needs the tables of {@link migrateDevTables}. */
  static create(options: { knex: Knex; logger: LoggerService; keyDurationSeconds: number }) {
    return new DevKeyStore(options.knex, options.logger, options.keyDurationSeconds);
  }

  /** The key to sign with now; a new one after each key period. */
  getSigningKey(): Promise<SigningKey> {
    const now = Date.now();
    if (this.#current && this.#current.rotateAt > now) {
      return this.#current.key;
    }
    const current = { key: this.#createKey(), rotateAt: now + this.#keyDurationMs };
    this.#current = current;
    current.key.catch(() => {
      if (this.#current === current) {
        this.#current = undefined;
      }
    });
    return current.key;
  }

  /** Every public key that may have signed an unexpired token. */
  async listPublicKeys(): Promise<{ keys: JWK[] }> {
    const rows: Array<{ kid: string; key: string; expires_at: string }> =
      await this.#knex(TABLE).select();
    const now = Date.now();
    const expired = rows.filter(row => !(new Date(row.expires_at).getTime() > now));
    if (expired.length > 0) {
      this.#knex(TABLE)
        .whereIn(
          'kid',
          expired.map(row => row.kid),
        )
        .delete()
        .catch(error => this.#logger.warn('Failed to remove expired dev sign-in keys', { error }));
    }
    return {
      keys: rows.filter(row => !expired.includes(row)).map(row => JSON.parse(row.key) as JWK),
    };
  }

  /** A key set for verifying tokens this plugin issued. */
  async keySet() {
    return createLocalJWKSet(await this.listPublicKeys());
  }

  async #createKey(): Promise<SigningKey> {
    const kid = randomUUID();
    const pair = await generateKeyPair(ALGORITHM, { extractable: true });
    const publicKey = { ...(await exportJWK(pair.publicKey)), kid, alg: ALGORITHM, use: 'sig' };
    await this.#knex(TABLE).insert({
      kid,
      key: JSON.stringify(publicKey),
      expires_at: new Date(Date.now() + this.#keyDurationMs * PUBLICATION_FACTOR).toISOString(),
    });
    this.#logger.info('Created a new dev sign-in signing key', { kid });
    return { kid, key: pair.privateKey };
  }
}
