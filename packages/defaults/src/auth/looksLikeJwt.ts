const decoder = new TextDecoder();

/**
 * False when `token` cannot be a JWT: it does not have the three (or, for JWE, five) dot-separated
 * parts with a protected header that decodes to a JSON object. Every JWT check rejects such a
 * token first, so it can go straight to the other checks without loading `jose`. The test decodes
 * the header exactly as `jose`'s `decodeProtectedHeader` does, so the outcome never differs.
 */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if ((parts.length !== 3 && parts.length !== 5) || !parts[0]) {
    return false;
  }
  try {
    const header: unknown = JSON.parse(decoder.decode(Buffer.from(parts[0], 'base64url')));
    return typeof header === 'object' && header !== null && !Array.isArray(header);
  } catch {
    return false;
  }
}
