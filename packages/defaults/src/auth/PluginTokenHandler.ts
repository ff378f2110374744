import type { JWK, JWTPayload, KeyLike, ProtectedHeaderParameters } from 'jose';
import { AuthenticationError } from '@backplane/plugin-api';
import type { DiscoveryService } from '@backplane/plugin-api';
import type { JwksCache } from './JwksCache';
import { findJwksFetchError } from './JwksFetchError';
import type { PluginKeySource } from './keys/types';
import { loadJose } from './loadJose';
import { looksLikeJwt } from './looksLikeJwt';
import { ASYMMETRIC_ALGORITHMS, PLUGIN_ID_PATTERN, tokenTypes } from './tokenTypes';
import { UnreachableKeysError } from './UnreachableKeysError';

/** Seconds of clock skew tolerated between replicas. */
const CLOCK_TOLERANCE_S = 10;

/** The path under each plugin's base URL where its public keys are published. */
export const PLUGIN_JWKS_PATH = '/.backstage/auth/v1/jwks.json';

/** What a verified plugin token says. */
export interface PluginTokenResult {
  /** `plugin:<caller plugin id>`. */
  subject: string;
  /** The limited user token the caller acted on behalf of, if any. */
  limitedUserToken?: string;
  /** When the token expires. */
  expiresAt: Date;
}

/**
 * Issues and verifies plugin-to-plugin tokens: ES256 JWTs with `typ: vnd.backstage.plugin`,
 * `sub` the caller, `aud` the target, verified against the caller's published keys.
 */
export class PluginTokenHandler {
  readonly #ownPluginId: string;
  readonly #keySource: PluginKeySource;
  readonly #discovery: DiscoveryService;
  readonly #jwks: JwksCache;
  readonly #tokenTtlSeconds: number;
  readonly #signingKeys = new Map<string, Promise<KeyLike | Uint8Array>>();

  constructor(options: {
    ownPluginId: string;
    keySource: PluginKeySource;
    discovery: DiscoveryService;
    jwks: JwksCache;
    tokenTtlSeconds: number;
  }) {
    this.#ownPluginId = options.ownPluginId;
    this.#keySource = options.keySource;
    this.#discovery = options.discovery;
    this.#jwks = options.jwks;
    this.#tokenTtlSeconds = options.tokenTtlSeconds;
  }

  /** Returns undefined when `token` is not a plugin token at all; throws when it is a bad one. */
  async verifyToken(token: string): Promise<PluginTokenResult | undefined> {
    if (!looksLikeJwt(token)) {
      return undefined;
    }
    const { decodeJwt, decodeProtectedHeader, jwtVerify } = await loadJose();
    let header: ProtectedHeaderParameters;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      if (header.typ !== tokenTypes.plugin.typParam) {
        return undefined;
      }
      claims = decodeJwt(token);
    } catch {
      return undefined;
    }

    // Cheap checks first, so that a forged token costs no key lookup.
    const caller = claims.sub;
    if (typeof caller !== 'string' || !PLUGIN_ID_PATTERN.test(caller)) {
      throw new AuthenticationError(
        "Invalid plugin token: the 'sub' claim must be the id of the calling plugin",
      );
    }
    if (typeof claims.aud !== 'string' && !Array.isArray(claims.aud)) {
      throw new AuthenticationError(
        "Invalid plugin token: the 'aud' claim must be the id of the target plugin",
      );
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.#ownPluginId)) {
      throw new AuthenticationError(
        `Invalid plugin token: it was issued for plugin '${audiences.join("', '")}', ` +
          `not for '${this.#ownPluginId}'`,
      );
    }
    if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new AuthenticationError("Invalid plugin token: the 'iat' claim is in the future");
    }

    const getKey = this.#jwks.keyResolver(
      async () => `${await this.#discovery.getBaseUrl(caller)}${PLUGIN_JWKS_PATH}`,
    );
    try {
      const { payload } = await jwtVerify(token, getKey, {
        typ: tokenTypes.plugin.typParam,
        audience: this.#ownPluginId,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['iat', 'exp', 'sub', 'aud'],
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      const obo = payload.obo;
      if (obo !== undefined && typeof obo !== 'string') {
        throw new AuthenticationError("Invalid plugin token: the 'obo' claim must be a string");
      }
      return {
        subject: `plugin:${caller}`,
        limitedUserToken: obo,
        expiresAt: new Date((payload.exp as number) * 1000),
      };
    } catch (error) {
      if ((error as Error).name === 'AuthenticationError') {
        throw error;
      }
      const message = `Invalid plugin token from plugin '${caller}'`;
      const keysError = findJwksFetchError(error);
      if (keysError) {
        throw new UnreachableKeysError(message, caller, keysError);
      }
      throw new AuthenticationError(message, error);
    }
  }

  /** Issues a token for calling `targetPluginId`, optionally on behalf of a user. */
  async issueToken(options: {
    targetPluginId: string;
    onBehalfOf?: { limitedUserToken: string; expiresAt: Date };
  }): Promise<{ token: string }> {
    const { targetPluginId, onBehalfOf } = options;
    const { SignJWT } = await loadJose();
    const jwk = await this.#keySource.getPrivateSigningKey();
    const iat = Math.floor(Date.now() / 1000);
    const ownExp = iat + this.#tokenTtlSeconds;
    const exp = onBehalfOf
      ? Math.min(ownExp, Math.floor(onBehalfOf.expiresAt.getTime() / 1000))
      : ownExp;

    const claims: Record<string, unknown> = {};
    if (onBehalfOf) {
      claims.obo = onBehalfOf.limitedUserToken;
    }
    const token = await new SignJWT(claims)
      .setProtectedHeader({ typ: tokenTypes.plugin.typParam, alg: jwk.alg, kid: jwk.kid })
      .setSubject(this.#ownPluginId)
      .setAudience(targetPluginId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(await this.#importSigningKey(jwk));
    return { token };
  }

  #importSigningKey(jwk: JWK & { kid: string; alg: string }) {
    let key = this.#signingKeys.get(jwk.kid);
    if (!key) {
      key = loadJose().then(({ importJWK }) => importJWK(jwk, jwk.alg));
      this.#signingKeys.clear();
      this.#signingKeys.set(jwk.kid, key);
    }
    return key;
  }
}
