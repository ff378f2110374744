import { describe, it, expect } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { looksLikeJwt } from './looksLikeJwt';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function joseAccepts(token: string): boolean {
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}

describe('looksLikeJwt', () => {
  it.each([
    ['a compact JWS', `${part({ alg: 'ES256' })}.${part({ sub: 'x' })}.c2ln`],
    ['a token with an empty signature', `${part({ alg: 'none' })}.${part({})}.`],
    ['a five-part JWE', `${part({ alg: 'dir' })}.a.b.c.d`],
    ['a header with stray characters', `${part({ typ: 'x' })}!.e30.c2ln`],
    ['a header with a byte order mark', `${Buffer.from('\ufeff{}').toString('base64url')}.e30.x`],
  ])('should accept %s, as jose does', (_, token) => {
    expect(looksLikeJwt(token)).toBe(true);
    expect(joseAccepts(token)).toBe(true);
  });

  it.each([
    ['a static token', 'static-token-1234'],
    ['a dotted static token', 'dotted.static.token'],
    ['four parts', `${part({ alg: 'ES256' })}.a.b.c`],
    ['an empty header', `.${part({})}.c2ln`],
    ['a header that is an array', `${part(['alg'])}.e30.c2ln`],
    ['a header that is a string', `${part('alg')}.e30.c2ln`],
  ])('should refuse %s, as jose does', (_, token) => {
    expect(looksLikeJwt(token)).toBe(false);
    expect(joseAccepts(token)).toBe(false);
  });
});
