/**
 * The public keys (JWKS) at `url` could not be fetched or read. Thrown by {@link JwksCache}, so
 * that token verifiers can tell "the issuer's keys are unreachable" from "the token is bad".
 */
export class JwksFetchError extends Error {
  override name = 'JwksFetchError' as const;
  /** The JWKS URL that failed. */
  readonly url: string;

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/** True when `error`, or an error in its `cause` chain, is a {@link JwksFetchError}. */
export function findJwksFetchError(error: unknown): JwksFetchError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof JwksFetchError) {
      return e;
    }
  }
  return undefined;
}
