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
  badPlugin,
  bearer,
  EXPIRED,
  illegal,
  limitedToken,
  NBF,
  NO_KEY,
  PLUGIN,
  pluginClaims,
  SIGNATURE,
  type TokenCase,
  callerTokenFor,
} from './hostileCases';

/** Plugin tokens that must be refused: forged claims, bad signatures, wrong keys and types. */
export const pluginTokenCases: TokenCase[] = [
  {
    name: 'an expired plugin token',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ iat: now(-7200), exp: now(-3600) })),
    ),
    expect: badPlugin(EXPIRED),
  },
  {
    name: 'a plugin token not valid yet (nbf)',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ nbf: now(600) })),
    ),
    expect: badPlugin(NBF),
  },
  {
    name: 'a plugin token issued in the future (iat)',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ iat: now(600), exp: now(4200) })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: the 'iat' claim is in the future",
    },
  },
  {
    name: 'a plugin token for another plugin',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ aud: 'other' })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: it was issued for plugin 'other', not for 'target'",
    },
  },
  {
    name: 'a token minted by a real plugin for another plugin',
    authorization: bearer(() => callerTokenFor('other')),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: it was issued for plugin 'other', not for 'target'",
    },
  },
  {
    name: 'a plugin token without aud',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ aud: undefined })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: the 'aud' claim must be the id of the target plugin",
    },
  },
  {
    name: 'a plugin token without sub',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ sub: undefined })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: the 'sub' claim must be the id of the calling plugin",
    },
  },
  {
    name: "a plugin token with sub '../auth'",
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ sub: '../auth' })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token: the 'sub' claim must be the id of the calling plugin",
    },
  },
  {
    name: 'a plugin token from a plugin without keys',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ sub: 'ghost' })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      // The caller learns nothing of this backend's URLs; the backend logs the cause and the fix.
      message: "Invalid plugin token from plugin 'ghost'",
    },
  },
  {
    name: 'a plugin token without exp',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ exp: undefined })),
    ),
    expect: badPlugin('JWTClaimValidationFailed: missing required "exp" claim'),
  },
  {
    name: 'a plugin token without iat',
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ iat: undefined })),
    ),
    expect: badPlugin('JWTClaimValidationFailed: missing required "iat" claim'),
  },
  {
    name: "a plugin token with typ 'JWT'",
    authorization: bearer(() => signToken(hostile.forgerKey, { typ: 'JWT' }, pluginClaims())),
    expect: illegal,
  },
  {
    name: 'a plugin token without typ',
    authorization: bearer(() => signToken(hostile.forgerKey, {}, pluginClaims())),
    expect: illegal,
  },
  {
    name: "a plugin token with alg 'none'",
    authorization: () => `Bearer ${unsignedToken(PLUGIN, pluginClaims())}`,
    expect: badPlugin(ALG),
  },
  {
    name: 'a plugin token signed HS256 with the public JWK',
    authorization: bearer(() =>
      hmacToken(
        JSON.stringify(hostile.forgerKey.publicJwk),
        { ...PLUGIN, kid: hostile.forgerKey.kid },
        pluginClaims(),
      ),
    ),
    expect: badPlugin(ALG),
  },
  {
    name: 'a plugin token signed HS256 with the public key x coordinate',
    authorization: bearer(() =>
      hmacToken(
        String(hostile.forgerKey.publicJwk.x),
        { ...PLUGIN, kid: hostile.forgerKey.kid },
        pluginClaims(),
      ),
    ),
    expect: badPlugin(ALG),
  },
  {
    name: 'a plugin token with a tampered exp',
    authorization: bearer(async () =>
      withPayload(
        await signToken(
          hostile.forgerKey,
          PLUGIN,
          pluginClaims({ iat: now(-7200), exp: now(-3600) }),
        ),
        pluginClaims({ exp: now(99999) }),
      ),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a plugin token with a tampered aud',
    authorization: bearer(async () =>
      withPayload(
        await signToken(hostile.forgerKey, PLUGIN, pluginClaims({ aud: 'other' })),
        pluginClaims(),
      ),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a real plugin token with a tampered aud',
    authorization: bearer(async () => {
      const t = await callerTokenFor('other');
      return withPayload(t, { sub: 'caller', aud: 'target', iat: now(), exp: now(3600) });
    }),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: `Invalid plugin token from plugin 'caller'; caused by ${SIGNATURE}`,
    },
  },
  {
    name: 'a plugin token with a tampered signature',
    authorization: bearer(async () =>
      withBadSignature(await signToken(hostile.forgerKey, PLUGIN, pluginClaims())),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a plugin token with the signature removed',
    authorization: bearer(async () =>
      (await signToken(hostile.forgerKey, PLUGIN, pluginClaims())).replace(/[^.]+$/, ''),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a plugin token signed by an unknown key',
    authorization: bearer(() => signToken(hostile.attackerKey, PLUGIN, pluginClaims())),
    expect: badPlugin(NO_KEY),
  },
  {
    name: "a plugin token signed by another key under the caller's kid",
    authorization: bearer(() =>
      signToken(hostile.attackerKey, { ...PLUGIN, kid: hostile.forgerKey.kid }, pluginClaims()),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a plugin token carrying its own key (jwk header)',
    authorization: bearer(() =>
      signToken(
        hostile.attackerKey,
        { ...PLUGIN, kid: undefined, jwk: hostile.attackerKey.publicJwk },
        pluginClaims(),
      ),
    ),
    expect: badPlugin(SIGNATURE),
  },
  {
    name: 'a plugin token pointing to other keys (jku header)',
    authorization: bearer(() =>
      signToken(hostile.attackerKey, { ...PLUGIN, jku: 'http://127.0.0.1:1/keys' }, pluginClaims()),
    ),
    expect: badPlugin(NO_KEY),
  },
  {
    name: "a plugin token whose 'obo' is garbage",
    authorization: bearer(() =>
      signToken(hostile.forgerKey, PLUGIN, pluginClaims({ obo: 'garbage' })),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message: "Invalid plugin token from 'plugin:forger': its 'obo' claim is not a user token",
    },
  },
  {
    name: "a plugin token whose 'obo' user token expired",
    authorization: bearer(async () =>
      signToken(
        hostile.forgerKey,
        PLUGIN,
        pluginClaims({
          obo: await limitedToken(hostile.authKey, { iat: now(-7200), exp: now(-3600) }),
        }),
      ),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message:
        "Invalid plugin token from 'plugin:forger': the user token in its 'obo' claim is not " +
        `valid; caused by AuthenticationError: Invalid limited user token; caused by ${EXPIRED}`,
    },
  },
  {
    name: "a plugin token whose 'obo' user token is forged",
    authorization: bearer(async () =>
      signToken(
        hostile.forgerKey,
        PLUGIN,
        pluginClaims({ obo: await limitedToken(hostile.attackerKey) }),
      ),
    ),
    expect: {
      status: 401,
      name: 'AuthenticationError',
      message:
        "Invalid plugin token from 'plugin:forger': the user token in its 'obo' claim is not " +
        `valid; caused by AuthenticationError: Invalid limited user token; caused by ${NO_KEY}`,
    },
  },
];
