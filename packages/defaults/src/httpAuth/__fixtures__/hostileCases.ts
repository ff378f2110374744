import { CompactSign } from 'jose';
import { now, type TestKey } from '../../auth/__fixtures__/keys';
import { hostile } from './hostileServers';

/*
 * The table of the hostile-request suite: bad credentials with the status and error each gets,
 * and request paths that must stay protected. Tokens are made when a case runs, from the keys
 * and server in `hostile`.
 */

const issuer = () => `${hostile.server.baseUrl}/api/auth`;

export function pluginClaims(extra: Record<string, unknown> = {}) {
  return { sub: 'forger', aud: 'target', iat: now(), exp: now(3600), ...extra };
}
export function userClaims(extra: Record<string, unknown> = {}) {
  return {
    iss: issuer(),
    sub: 'user:default/mallory',
    ent: ['user:default/mallory'],
    aud: 'backstage',
    iat: now(),
    exp: now(3600),
    ...extra,
  };
}
export const PLUGIN = { typ: 'vnd.backstage.plugin' };
export const USER = { typ: 'vnd.backstage.user' };
export const LIMITED = { typ: 'vnd.backstage.limited-user' };

export async function limitedToken(key: TestKey, claims: Record<string, unknown> = {}) {
  const payload = { sub: 'user:default/mallory', iat: now(), exp: now(3600), ...claims };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ ...LIMITED, alg: 'ES256', kid: key.kid })
    .sign(key.privateKey);
}
export const callerTokenFor = (targetPluginId: string) =>
  hostile.server.callerTokenFor(targetPluginId);

export type Expect = { status: number; name?: string; message?: string };
export const missing: Expect = {
  status: 401,
  name: 'AuthenticationError',
  message: 'Missing credentials',
};
export const illegal: Expect = {
  status: 401,
  name: 'AuthenticationError',
  message: 'Illegal token',
};
export const badPlugin = (cause: string): Expect => ({
  status: 401,
  name: 'AuthenticationError',
  message: `Invalid plugin token from plugin 'forger'; caused by ${cause}`,
});
export const badUser = (cause: string, label = 'user token'): Expect => ({
  status: 401,
  name: 'AuthenticationError',
  message: `Invalid ${label}; caused by ${cause}`,
});
export const EXPIRED = 'JWTExpired: "exp" claim timestamp check failed';
export const NBF = 'JWTClaimValidationFailed: "nbf" claim timestamp check failed';
export const ALG = 'JOSEAlgNotAllowed: "alg" (Algorithm) Header Parameter value not allowed';
export const SIGNATURE = 'JWSSignatureVerificationFailed: signature verification failed';
export const NO_KEY = 'JWKSNoMatchingKey: no applicable key found in the JSON Web Key Set';

/** A bad credential: how to send it, and what the caller gets. */
export interface TokenCase {
  name: string;
  authorization: () => Promise<string | undefined> | string | undefined;
  expect: Expect;
  /** Also try it on the user-cookie route (Bearer tokens are read there too). Default true. */
  onCookieRoute?: boolean;
}

export const bearer = (token: () => Promise<string> | string) => async () =>
  `Bearer ${await token()}`;

/** Missing, empty, malformed and oversized credentials. */
export const headerCases: TokenCase[] = [
  // Missing, empty, malformed and oversized
  { name: 'no Authorization header', authorization: () => undefined, expect: missing },
  { name: 'empty Authorization header', authorization: () => '', expect: missing },
  { name: "'Bearer' without a token", authorization: () => 'Bearer', expect: missing },
  { name: "'Bearer ' with only a space", authorization: () => 'Bearer ', expect: missing },
  { name: 'Basic credentials', authorization: () => 'Basic dXNlcjpwYXNzd29yZA==', expect: missing },
  {
    name: 'two tokens after Bearer',
    authorization: () => 'Bearer static-ok-token other',
    expect: missing,
  },
  {
    name: 'a tab instead of a space',
    authorization: () => 'Bearer\tstatic-ok-token',
    expect: missing,
  },
  {
    name: "another scheme ('Token')",
    authorization: () => 'Token static-ok-token',
    expect: missing,
  },
  { name: 'a garbage token', authorization: () => 'Bearer garbage', expect: illegal },
  { name: "a token 'a.b.c'", authorization: () => 'Bearer a.b.c', expect: illegal },
  { name: 'a JSON token', authorization: () => 'Bearer {"alg":"none"}', expect: illegal },
  { name: "the token 'null'", authorization: () => 'Bearer null', expect: illegal },
  {
    name: 'an unsigned empty JWT',
    authorization: () => 'Bearer eyJhbGciOiJub25lIn0.e30.',
    expect: illegal,
  },
  {
    name: 'a 12 KiB garbage token',
    authorization: () => `Bearer ${'x'.repeat(12 * 1024)}`,
    expect: illegal,
  },
  {
    name: 'a 16 KiB + 1 token',
    authorization: () => `Bearer ${'x'.repeat(16 * 1024 + 1)}`,
    expect: { status: 431 },
  },
];

/** Request paths that must be judged protected (no token sent, so 401 Missing credentials). */
export const protectedPaths = [
  '/protected',
  '/protected/',
  '//protected',
  '/./protected',
  '/public/../protected',
  '/public/%2e%2e/protected',
  '/public/%2E%2E/protected',
  '/public/.%2e/protected',
  '/public%2f..%2fprotected',
  '/public%2F..%2Fprotected',
  '/public%2fprotected',
  '/public%5c..%5cprotected',
  '/public/..%2fprotected',
  '/public/./../protected',
  '/public//../protected',
  '/health/..',
  '/health/../protected',
  '/PUBLIC',
  '/Public',
  '/HEALTH',
  '/%70ublic',
  '/publicity',
  '/public-but-not',
  '/publicx',
  '/healthz',
  '/health-check',
  '/healthz/../health',
  '/protected?/public',
  '/protected?path=/public',
  '/protected;/public',
  '/protected/%2e%2e/public',
  '/assets/../protected',
  '/assets%2f..%2fprotected',
  '/assets/app.js',
  '/',
  '',
];

/** Requests that skip the plugin or reach it through another plugin's mount. */
export const mountTricks = [
  { path: '/api/other/../target/protected', expectUrl: '/../target/protected' },
  { path: '/api/other/..%2ftarget%2fprotected', expectUrl: '/..%2ftarget%2fprotected' },
  { path: '/api/target/public/..', expectUrl: '/public/..' },
];
