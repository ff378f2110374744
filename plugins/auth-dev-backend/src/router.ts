import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { AuthenticationError, InputError, NotAllowedError } from '@backplane/plugin-api';
import type { LoggerService } from '@backplane/plugin-api';
import type { DevKeyStore } from './DevKeyStore';
import type { DevTokenIssuer } from './DevTokenIssuer';
import type { DevUserInfoStore } from './migrations';

/** The user the guest sign-in signs in, as on the official guest provider. */
export const GUEST_USER_ENTITY_REF = 'user:development/guest';

/** The config key that allows dev sign-in outside `NODE_ENV=development`. */
export const ALLOW_CONFIG_KEY = 'auth.dev.allow';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const USER_REF = /^user:[a-z0-9][a-z0-9-]{0,62}\/[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const ENTITY_REF =
  /^[A-Za-z][A-Za-z0-9-]{0,62}:[a-z0-9][a-z0-9-]{0,62}\/[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const MAX_OWNERSHIP_REFS = 50;

/** What the router needs. */
export interface DevRouterOptions {
  logger: LoggerService;
  keys: DevKeyStore;
  issuer: DevTokenIssuer;
  userInfo: DevUserInfoStore;
  getIssuerUrl(): Promise<string>;
  /** Why sign-in is refused, or undefined when it is allowed. */
  refusal(): string | undefined;
}

type Handler = (req: Request, res: Response) => Promise<void>;

function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

function readUserEntityRef(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      "Query parameter 'user' is required, e.g. ?user=alice or ?user=user:default/alice",
    );
  }
  if (USER_REF.test(value)) {
    return value;
  }
  if (USER_NAME.test(value)) {
    return `user:default/${value}`;
  }
  throw new InputError(
    `Query parameter 'user' must be a user name like 'alice' or a user entity ref like 'user:default/alice', got '${value.slice(0, 100)}'`,
  );
}

function readOwnershipRefs(value: unknown, userEntityRef: string): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (list.length > MAX_OWNERSHIP_REFS) {
    throw new InputError(`At most ${MAX_OWNERSHIP_REFS} 'ent' query parameters are allowed`);
  }
  for (const ref of list) {
    if (typeof ref !== 'string' || !ENTITY_REF.test(ref)) {
      throw new InputError(
        `Query parameter 'ent' must be an entity ref like 'group:default/team-a', got '${String(ref).slice(0, 100)}'`,
      );
    }
  }
  return [...new Set([userEntityRef, ...(list as string[])])];
}

/**
 * The dev sign-in routes, relative to `/api/auth`:
 * - `GET /.well-known/jwks.json`, `GET /.well-known/openid-configuration`: public keys, always served;
 * - `GET|POST /guest/refresh`: signs in `user:development/guest` (the guest provider's response shape);
 * - `GET /dev/token?user=alice[&ent=group:default/team]`: signs in any user;
 * - `GET /v1/userinfo`: `{ claims: { sub, ent } }` for a user or limited user token.
 */
export function createDevRouter(options: DevRouterOptions): express.Router {
  const { logger, keys, issuer, userInfo } = options;
  const router = express.Router();

  const assertAllowed = () => {
    const reason = options.refusal();
    if (reason) {
      throw new NotAllowedError(reason);
    }
  };

  const signIn = async (userEntityRef: string, ownershipEntityRefs: string[]) => {
    const issued = await issuer.issue(userEntityRef, ownershipEntityRefs);
    await userInfo.save(userEntityRef, ownershipEntityRefs);
    logger.info('Issued a dev sign-in user token', { userEntityRef });
    return issued;
  };

  router.get(
    '/.well-known/jwks.json',
    route(async (_req, res) => {
      res.json(await keys.listPublicKeys());
    }),
  );

  router.get(
    '/.well-known/openid-configuration',
    route(async (_req, res) => {
      const base = await options.getIssuerUrl();
      res.json({
        issuer: base,
        jwks_uri: `${base}/.well-known/jwks.json`,
        userinfo_endpoint: `${base}/v1/userinfo`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        claims_supported: ['sub', 'ent'],
      });
    }),
  );

  const guestRefresh = route(async (_req, res) => {
    assertAllowed();
    const issued = await signIn(GUEST_USER_ENTITY_REF, [GUEST_USER_ENTITY_REF]);
    res.json({
      profile: {},
      backstageIdentity: {
        token: issued.token,
        expiresInSeconds: Math.round((issued.expiresAt.getTime() - Date.now()) / 1000),
        identity: {
          type: 'user',
          userEntityRef: issued.userEntityRef,
          ownershipEntityRefs: issued.ownershipEntityRefs,
        },
      },
    });
  });
  router.get('/guest/refresh', guestRefresh);
  router.post('/guest/refresh', guestRefresh);
  router.post('/guest/logout', (_req, res) => {
    res.status(200).end();
  });

  router.get(
    '/dev/token',
    route(async (req, res) => {
      assertAllowed();
      const userEntityRef = readUserEntityRef(req.query.user);
      const ownership = readOwnershipRefs(req.query.ent, userEntityRef);
      const issued = await signIn(userEntityRef, ownership);
      res.json({
        token: issued.token,
        userEntityRef: issued.userEntityRef,
        ownershipEntityRefs: issued.ownershipEntityRefs,
        expiresAt: issued.expiresAt.toISOString(),
      });
    }),
  );

  router.get(
    '/v1/userinfo',
    route(async (req, res) => {
      const match = /^Bearer[ ]+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!match) {
        throw new AuthenticationError('Missing credentials: send a user token as a Bearer token');
      }
      const token = match[1];
      let typ: unknown;
      try {
        typ = decodeProtectedHeader(token).typ;
      } catch {
        throw new AuthenticationError('Illegal token');
      }
      if (typ !== 'vnd.backstage.user' && typ !== 'vnd.backstage.limited-user') {
        throw new AuthenticationError('Illegal token: expected a user or limited user token');
      }
      let sub: string;
      try {
        const { payload } = await jwtVerify(token, await keys.keySet(), {
          algorithms: ['ES256'],
          typ: typ as string,
          requiredClaims: ['sub', 'iat', 'exp'],
        });
        sub = String(payload.sub);
      } catch (error) {
        throw new AuthenticationError('Invalid user token', error);
      }
      const ent = (await userInfo.get(sub)) ?? [sub];
      res.json({ claims: { sub, ent } });
    }),
  );

  return router;
}
