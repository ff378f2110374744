import {
  hmacToken,
  now,
  signToken,
  unsignedToken,
  withBadSignature,
  withPayload,
} from '../../auth/__fixtures__/keys';
import { hostile } from './hostileServers';
import {
  ALG,
  bearer,
  EXPIRED,
  illegal,
  limitedToken,
  NBF,
  NO_KEY,
  PLUGIN,
  SIGNATURE,
  userClaims,
  USER,
  badUser,
  type TokenCase,
} from './hostileCases';

/** User tokens that must be refused, and user claims under other token types. */
export const userTokenCases: TokenCase[] = [
  {
    name: 'an expired user token',
    authorization: bearer(() =>
      signToken(hostile.authKey, USER, userClaims({ iat: now(-7200), exp: now(-3600) })),
    ),
    expect: badUser(EXPIRED),
  },
  {
    name: 'a user token not valid yet (nbf)',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ nbf: now(600) }))),
    expect: badUser(NBF),
  },
  {
    name: 'a user token issued in the future (iat)',
    authorization: bearer(() =>
      signToken(hostile.authKey, USER, userClaims({ iat: now(600), exp: now(4200) })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid user token: the 'iat' claim is in the future",
    },
  },
  {
    name: 'a user token for another audience',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ aud: 'catalog' }))),
    expect: badUser('JWTClaimValidationFailed: unexpected "aud" claim value'),
  },
  {
    name: 'a user token without aud',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ aud: undefined }))),
    expect: badUser('JWTClaimValidationFailed: missing required "aud" claim'),
  },
  {
    name: 'a user token from another issuer',
    authorization: bearer(() =>
      signToken(hostile.authKey, USER, userClaims({ iss: 'https://evil.example/api/auth' })),
    ),
    expect: badUser('JWTClaimValidationFailed: unexpected "iss" claim value'),
  },
  {
    name: 'a user token without iss',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ iss: undefined }))),
    expect: badUser('JWTClaimValidationFailed: missing required "iss" claim'),
  },
  {
    name: 'a user token without sub',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ sub: undefined }))),
    expect: badUser('JWTClaimValidationFailed: missing required "sub" claim'),
  },
  {
    name: 'a user token without exp',
    authorization: bearer(() => signToken(hostile.authKey, USER, userClaims({ exp: undefined }))),
    expect: badUser('JWTClaimValidationFailed: missing required "exp" claim'),
  },
  {
    name: "a user token with alg 'none'",
    authorization: () => `Bearer ${unsignedToken(USER, userClaims())}`,
    expect: badUser(ALG),
  },
  {
    name: 'a user token signed HS256 with the public JWK',
    authorization: bearer(() =>
      hmacToken(
        JSON.stringify(hostile.authKey.publicJwk),
        { ...USER, kid: hostile.authKey.kid },
        userClaims(),
      ),
    ),
    expect: badUser(ALG),
  },
  {
    name: 'a user token with a tampered subject',
    authorization: bearer(async () =>
      withPayload(
        await signToken(hostile.authKey, USER, userClaims()),
        userClaims({ sub: 'user:default/admin' }),
      ),
    ),
    expect: badUser(SIGNATURE),
  },
  {
    name: 'a user token with a tampered signature',
    authorization: bearer(async () =>
      withBadSignature(await signToken(hostile.authKey, USER, userClaims())),
    ),
    expect: badUser(SIGNATURE),
  },
  {
    name: 'a user token signed by an unknown key',
    authorization: bearer(() => signToken(hostile.attackerKey, USER, userClaims())),
    expect: badUser(NO_KEY),
  },
  {
    name: "a user token signed by another key under the auth plugin's kid",
    authorization: bearer(() =>
      signToken(hostile.attackerKey, { ...USER, kid: hostile.authKey.kid }, userClaims()),
    ),
    expect: badUser(SIGNATURE),
  },
  {
    name: 'a limited user token on a route without user-cookie',
    authorization: bearer(() => limitedToken(hostile.authKey)),
    expect: { status: 401, name: 'AuthenticationError', message: 'Illegal limited user token' },
    onCookieRoute: false,
  },
  {
    name: 'a limited user token with a tampered subject',
    authorization: bearer(async () =>
      withPayload(await limitedToken(hostile.authKey), {
        sub: 'user:default/admin',
        iat: now(),
        exp: now(3600),
      }),
    ),
    expect: badUser(SIGNATURE, 'limited user token'),
  },
  {
    name: 'an expired limited user token',
    authorization: bearer(() =>
      limitedToken(hostile.authKey, { iat: now(-7200), exp: now(-3600) }),
    ),
    expect: badUser(EXPIRED, 'limited user token'),
  },
  {
    name: 'user claims under the plugin token type',
    authorization: bearer(() => signToken(hostile.authKey, PLUGIN, userClaims())),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: the 'sub' claim must be the id of the calling plugin",
    },
  },
  {
    name: "a user token with typ 'JWT'",
    authorization: bearer(() => signToken(hostile.authKey, { typ: 'JWT' }, userClaims())),
    expect: illegal,
  },
  {
    name: 'a token without typ from another issuer',
    authorization: bearer(() =>
      signToken(hostile.authKey, {}, userClaims({ iss: 'https://evil.example' })),
    ),
    expect: badUser('JWTClaimValidationFailed: unexpected "iss" claim value'),
  },
];
