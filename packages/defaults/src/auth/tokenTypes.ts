/**
 * The `typ` header values and fixed claims of the tokens that Backstage-compatible backends
 * exchange. They are part of the wire format, so they match the official runtime exactly.
 */
export const tokenTypes = Object.freeze({
  /** A full user token issued by the auth plugin. */
  user: Object.freeze({ typParam: 'vnd.backstage.user', audClaim: 'backstage' }),
  /** A user token reduced to `sub`, `iat` and `exp`, used in cookies and on-behalf-of calls. */
  limitedUser: Object.freeze({ typParam: 'vnd.backstage.limited-user' }),
  /** A token one plugin issues to call another plugin. */
  plugin: Object.freeze({ typParam: 'vnd.backstage.plugin' }),
});

/** Plugin ids as accepted in the `sub` and `aud` claims of plugin tokens. */
export const PLUGIN_ID_PATTERN = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/i;

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 16384;

/** Signature algorithms accepted for plugin and user tokens; symmetric and `none` never are. */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
];
