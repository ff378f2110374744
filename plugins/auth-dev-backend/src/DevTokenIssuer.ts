import { CompactSign, SignJWT } from 'jose';
import type { DevKeyStore } from './DevKeyStore';

/** The token types of the wire format shared with the official runtime. */
const USER_TYP = 'vnd.backstage.user';
const LIMITED_USER_TYP = 'vnd.backstage.limited-user';
const ALGORITHM = 'ES256';

/** An issued user token. */
export interface IssuedUserToken {
  token: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  expiresAt: Date;
}

/**
 * Issues user tokens in the format of the official auth plugin: ES256, `typ: vnd.backstage.user`,
 * claims `iss`, `sub`, `ent`, `aud: backstage`, `iat`, `exp`, and `uip`: the signature of the
 * matching limited token (header `{typ, alg, kid}`, payload `{sub, iat, exp}`), so backends can
 * derive the limited token without a key.
 */
export class DevTokenIssuer {
  readonly #keys: DevKeyStore;
  readonly #getIssuer: () => Promise<string>;
  readonly #tokenTtlSeconds: number;

  constructor(options: {
    keys: DevKeyStore;
    getIssuer: () => Promise<string>;
    tokenTtlSeconds: number;
  }) {
    this.#keys = options.keys;
    this.#getIssuer = options.getIssuer;
    this.#tokenTtlSeconds = options.tokenTtlSeconds;
  }

  async issue(userEntityRef: string, ownershipEntityRefs: string[]): Promise<IssuedUserToken> {
    const { kid, key } = await this.#keys.getSigningKey();
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.#tokenTtlSeconds;

    // Header and payload key order are part of the format: the limited token is rebuilt from them.
    const limitedHeader = { typ: LIMITED_USER_TYP, alg: ALGORITHM, kid };
    const limitedPayload = { sub: userEntityRef, iat, exp };
    const limited = await new CompactSign(new TextEncoder().encode(JSON.stringify(limitedPayload)))
      .setProtectedHeader(limitedHeader)
      .sign(key);
    const uip = limited.split('.')[2];

    const token = await new SignJWT({
      iss: await this.#getIssuer(),
      sub: userEntityRef,
      ent: ownershipEntityRefs,
      aud: 'backstage',
      iat,
      exp,
      uip,
    })
      .setProtectedHeader({ typ: USER_TYP, alg: ALGORITHM, kid })
      .sign(key);

    return { token, userEntityRef, ownershipEntityRefs, expiresAt: new Date(exp * 1000) };
  }
}
