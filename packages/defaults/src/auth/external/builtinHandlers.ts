import type { Config } from '@backplane/plugin-api';
import type { JwksCache, JwksKeyResolver } from '../JwksCache';
import { loadJose } from '../loadJose';
import { looksLikeJwt } from '../looksLikeJwt';
import { ASYMMETRIC_ALGORITHMS } from '../tokenTypes';
import { readStringList } from './readAccessRestrictions';
import type { ExternalTokenHandler } from './types';

/** What built-in handlers get besides `options`: the config path of the entry, for errors. */
export type BuiltinInitContext = { options: Config; where?: string };

const MIN_STATIC_TOKEN_LENGTH = 8;

function requireNoSpaces(value: string, key: string, where: string, what: string) {
  if (!/^\S+$/.test(value)) {
    throw new Error(
      `Invalid config '${where}.${key}': ${what} must not be empty or contain whitespace`,
    );
  }
}

/** `type: static`: a fixed token and the subject it stands for. */
export const staticTokenHandler: ExternalTokenHandler<{ token: string; subject: string }> = {
  type: 'static',
  initialize({ options, where = 'options' }: BuiltinInitContext) {
    const token = options.getString('token');
    const subject = options.getString('subject');
    requireNoSpaces(token, 'token', where, 'a static token');
    if (token.length < MIN_STATIC_TOKEN_LENGTH) {
      throw new Error(
        `Invalid config '${where}.token': a static token must be at least ${MIN_STATIC_TOKEN_LENGTH} characters long`,
      );
    }
    requireNoSpaces(subject, 'subject', where, 'the subject');
    return { token, subject };
  },
  async verifyToken(token, context) {
    return token === context.token ? { subject: context.subject } : undefined;
  },
};

/** Checks a legacy shared secret and subject and decodes the secret. */
export function createLegacyContext(secret: string, subject: string, where: string) {
  requireNoSpaces(secret, 'secret', where, 'the secret');
  requireNoSpaces(subject, 'subject', where, 'the subject');
  const key = Buffer.from(secret, 'base64');
  if (key.length === 0) {
    throw new Error(`Invalid config '${where}.secret': the secret must be base64 encoded`);
  }
  return { key: new Uint8Array(key), subject };
}

/**
 * `type: legacy`: HS256 tokens with `sub: backstage-server` and an `exp` claim, signed with a
 * shared base64 secret.
 */
export const legacyTokenHandler: ExternalTokenHandler<{ key: Uint8Array; subject: string }> = {
  type: 'legacy',
  initialize({ options, where = 'options' }: BuiltinInitContext) {
    return createLegacyContext(options.getString('secret'), options.getString('subject'), where);
  },
  async verifyToken(token, context) {
    if (!looksLikeJwt(token)) {
      return undefined;
    }
    const { decodeJwt, decodeProtectedHeader, jwtVerify } = await loadJose();
    try {
      if (decodeProtectedHeader(token).alg !== 'HS256') {
        return undefined;
      }
      const { sub, aud } = decodeJwt(token);
      if (sub !== 'backstage-server' || aud !== undefined) {
        return undefined;
      }
      await jwtVerify(token, context.key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
      return { subject: context.subject };
    } catch {
      return undefined;
    }
  },
};

type JwksContext = {
  getKey: JwksKeyResolver;
  algorithms: string[];
  issuers?: string[];
  audiences?: string[];
  subjectPrefix: string;
};

/**
 * `type: jwks`: tokens signed by an outside issuer that publishes its keys at `options.url`.
 * The principal subject is `external:<subjectPrefix>:<sub>` (or `external:<sub>`).
 */
export function createJwksTokenHandler(jwks: JwksCache): ExternalTokenHandler<JwksContext> {
  return {
    type: 'jwks',
    initialize({ options, where = 'options' }: BuiltinInitContext) {
      const url = options.getString('url');
      requireNoSpaces(url, 'url', where, 'the JWKS URL');
      try {
        new URL(url);
      } catch (error) {
        throw new Error(`Invalid config '${where}.url': '${url}' is not a URL`, { cause: error });
      }
      const prefix = options.getOptionalString('subjectPrefix');
      return {
        getKey: jwks.keyResolver(async () => url),
        algorithms: readStringList(options, 'algorithm', where) ?? ASYMMETRIC_ALGORITHMS,
        issuers: readStringList(options, 'issuer', where),
        audiences: readStringList(options, 'audience', where),
        subjectPrefix: prefix ? `external:${prefix}:` : 'external:',
      };
    },
    async verifyToken(token, context) {
      // A token whose header does not decode fails verification anyway.
      if (!looksLikeJwt(token)) {
        return undefined;
      }
      const { decodeJwt, jwtVerify } = await loadJose();
      try {
        // Skip tokens of other issuers or audiences before any key lookup.
        const claims = decodeJwt(token);
        if (context.issuers && !context.issuers.includes(String(claims.iss))) {
          return undefined;
        }
        const { payload } = await jwtVerify(token, context.getKey, {
          algorithms: context.algorithms,
          issuer: context.issuers,
          audience: context.audiences,
        });
        return payload.sub ? { subject: `${context.subjectPrefix}${payload.sub}` } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
