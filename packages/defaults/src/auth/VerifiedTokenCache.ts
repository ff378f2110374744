import type { BackstagePrincipalAccessRestrictions } from '@backplane/plugin-api';

/** What verifying a token established. */
export type VerifiedToken =
  | {
      type: 'service';
      subject: string;
      accessRestrictions?: BackstagePrincipalAccessRestrictions;
      expiresAt?: Date;
    }
  | {
      type: 'user';
      userEntityRef: string;
      /** The user token the credentials carry: the token itself, or the `obo` claim. */
      userToken: string;
      expiresAt: Date;
      limited: boolean;
      actorSubject?: string;
    };

/** Longest time a verified token is reused without checking it again. */
const MAX_AGE_MS = 60 * 1000;
const MAX_ENTRIES = 2000;

/**
 * Remembers tokens that verified, keyed by the whole token (signature included), until they
 * expire or for a minute at most, so a client that reuses its token costs one signature check
 * per minute instead of one per request. Failures are never cached. Local by design.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, { verified: VerifiedToken; until: number }>();

  get(token: string): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
    if (!entry) {
      return undefined;
    }
    if (entry.until <= Date.now()) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.verified;
  }

  /** Stores `verified` when it has an expiry, and returns it. */
  set(token: string, verified: VerifiedToken): VerifiedToken {
    const expiresAt = verified.expiresAt?.getTime();
    if (expiresAt === undefined) {
      return verified;
    }
    const until = Math.min(expiresAt, Date.now() + MAX_AGE_MS);
    if (this.#entries.size >= MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(token, { verified, until });
    return verified;
  }
}
