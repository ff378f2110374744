import type { JWTPayload, JWTVerifyOptions } from 'jose';
import { AuthenticationError } from '@backplane/plugin-api';
import type { DiscoveryService } from '@backplane/plugin-api';
import type { JwksCache } from './JwksCache';
import { findJwksFetchError } from './JwksFetchError';
import { loadJose } from './loadJose';
import { looksLikeJwt } from './looksLikeJwt';
import { ASYMMETRIC_ALGORITHMS, tokenTypes } from './tokenTypes';
import { UnreachableKeysError } from './UnreachableKeysError';

const CLOCK_TOLERANCE_S = 10;

/** The path under the auth plugin's base URL where it publishes its public keys. */
export const USER_JWKS_PATH = '/.well-known/jwks.json';

/** What a verified user token says. */
export interface UserTokenResult {
  userEntityRef: string;
  limited: boolean;
  expiresAt: Date;
}

type TokenKind = 'user' | 'limited' | 'legacy';

/**
 * Verifies user tokens issued by the `auth` plugin against its JWKS (found through discovery),
 * and derives limited user tokens from full ones.
 *
 * Full tokens (`typ: vnd.backstage.user`) must carry `aud: backstage` and the auth plugin's
 * external base URL as `iss`. Limited tokens (`typ: vnd.backstage.limited-user`) carry only
 * `sub`, `iat` and `exp`, signed by the same key. Tokens without `typ` but with
 * `aud: backstage` come from older auth plugins and are verified like full tokens.
 */
export class UserTokenHandler {
  readonly #discovery: DiscoveryService;
  readonly #getKey: ReturnType<JwksCache['keyResolver']>;

  constructor(options: { discovery: DiscoveryService; jwks: JwksCache }) {
    this.#discovery = options.discovery;
    this.#getKey = options.jwks.keyResolver(
      async () => `${await options.discovery.getBaseUrl('auth')}${USER_JWKS_PATH}`,
    );
  }

  /** Returns undefined when `token` is not a user token at all; throws when it is a bad one. */
  async verifyToken(token: string): Promise<UserTokenResult | undefined> {
    const kind = await classify(token);
    if (!kind) {
      return undefined;
    }
    const { jwtVerify } = await loadJose();
    const options: JWTVerifyOptions = {
      algorithms: ASYMMETRIC_ALGORITHMS,
      requiredClaims: ['iat', 'exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_S,
    };
    if (kind === 'limited') {
      options.typ = tokenTypes.limitedUser.typParam;
    } else {
      options.typ = kind === 'user' ? tokenTypes.user.typParam : undefined;
      options.audience = tokenTypes.user.audClaim;
      options.issuer = await this.#discovery.getExternalBaseUrl('auth');
    }

    const label = kind === 'limited' ? 'limited user token' : 'user token';
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#getKey, options));
    } catch (error) {
      const keysError = findJwksFetchError(error);
      if (keysError) {
        throw new UnreachableKeysError(`Invalid ${label}`, 'auth', keysError);
      }
      throw new AuthenticationError(`Invalid ${label}`, error);
    }
    if (typeof payload.sub !== 'string' || !payload.sub) {
      throw new AuthenticationError(`Invalid ${label}: the 'sub' claim must be a user entity ref`);
    }
    if ((payload.iat as number) > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new AuthenticationError(`Invalid ${label}: the 'iat' claim is in the future`);
    }
    return {
      userEntityRef: payload.sub,
      limited: kind === 'limited',
      expiresAt: new Date((payload.exp as number) * 1000),
    };
  }

  /** True when `token` claims to be a limited user token. */
  async isLimitedUserToken(token: string): Promise<boolean> {
    return (await classify(token)) === 'limited';
  }

  /**
   * Builds the limited form of a full user token: the auth plugin signed it in advance and put
   * the signature in the `uip` claim, so header and payload are rebuilt byte for byte.
   */
  async createLimitedUserToken(token: string): Promise<{ token: string; expiresAt: Date }> {
    const { base64url, decodeJwt, decodeProtectedHeader } = await loadJose();
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
      payload = decodeJwt(token) as Record<string, unknown>;
    } catch (error) {
      throw new AuthenticationError(
        'Cannot create a limited user token from a malformed token',
        error,
      );
    }
    const expiresAt = new Date(Number(payload.exp) * 1000);
    if (header.typ === undefined || header.typ === tokenTypes.limitedUser.typParam) {
      return { token, expiresAt };
    }
    if (header.typ !== tokenTypes.user.typParam) {
      throw new AuthenticationError(
        `Cannot create a limited user token from a token of type '${String(header.typ)}'`,
      );
    }
    if (typeof payload.uip !== 'string') {
      return { token, expiresAt };
    }
    const limitedHeader = {
      typ: tokenTypes.limitedUser.typParam,
      alg: header.alg,
      kid: header.kid,
    };
    const limitedPayload = { sub: payload.sub, iat: payload.iat, exp: payload.exp };
    const limited = [
      base64url.encode(JSON.stringify(limitedHeader)),
      base64url.encode(JSON.stringify(limitedPayload)),
      payload.uip,
    ].join('.');
    return { token: limited, expiresAt };
  }
}

async function classify(token: string): Promise<TokenKind | undefined> {
  if (!looksLikeJwt(token)) {
    return undefined;
  }
  const { decodeJwt, decodeProtectedHeader } = await loadJose();
  try {
    const { typ } = decodeProtectedHeader(token);
    if (typ === tokenTypes.user.typParam) {
      return 'user';
    }
    if (typ === tokenTypes.limitedUser.typParam) {
      return 'limited';
    }
    if (typ !== undefined) {
      return undefined;
    }
    return decodeJwt(token).aud === tokenTypes.user.audClaim ? 'legacy' : undefined;
  } catch {
    return undefined;
  }
}
