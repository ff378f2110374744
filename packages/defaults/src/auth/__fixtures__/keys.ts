import { randomUUID } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/** A key pair the test controls, with its public JWK. */
export interface TestKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK & { kid: string };
}

export async function createTestKey(alg = 'ES256'): Promise<TestKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg };
  return { kid, privateKey: pair.privateKey, publicJwk };
}

/** Signs any header and payload, for forging tokens. */
export async function signToken(
  key: TestKey,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, ...header } as never)
    .sign(key.privateKey);
}

/** An unsigned token with `alg: none`. */
export function unsignedToken(header: Record<string, unknown>, payload: Record<string, unknown>) {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'none', ...header })}.${part(payload)}.`;
}

/** An HS256 token whose HMAC secret is the given text (e.g. a public key). */
export async function hmacToken(
  secret: string,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', ...header } as never)
    .sign(new TextEncoder().encode(secret));
}

/** Seconds since the epoch, shifted by `offset`. */
export function now(offset = 0): number {
  return Math.floor(Date.now() / 1000) + offset;
}

/** Replaces the payload of a signed token, keeping header and signature. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url.encode(JSON.stringify(payload))}.${signature}`;
}

/** Flips one character of the signature. */
export function withBadSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const flipped = (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6);
  return `${header}.${payload}.${signature.slice(0, 5)}${flipped}`;
}
