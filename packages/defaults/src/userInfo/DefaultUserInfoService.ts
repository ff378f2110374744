import { InputError } from '@backplane/plugin-api';
import type {
  BackstageCredentials,
  BackstageUserInfo,
  DiscoveryService,
  UserInfoService,
} from '@backplane/plugin-api';
import { loadJose } from '../auth/loadJose';

type InternalCredentials = BackstageCredentials<{ type: string; userEntityRef?: string }> & {
  token?: string;
};

/** How long looked-up ownership is reused for the same token at most. */
const CACHE_MAX_AGE_MS = 60 * 1000;
const CACHE_MAX_ENTRIES = 1000;

/**
 * The default `core.userInfo`: ownership comes from the token's `ent` claim, or, for tokens
 * without it (limited tokens, tokens of auth plugins that leave it out), from the auth plugin's
 * `/v1/userinfo` endpoint. Lookups are cached per token for a minute, in memory (local by design).
 */
export class DefaultUserInfoService implements UserInfoService {
  readonly #discovery: DiscoveryService;
  readonly #cache = new Map<string, { info: Promise<BackstageUserInfo>; at: number }>();

  constructor(options: { discovery: DiscoveryService }) {
    this.#discovery = options.discovery;
  }

  async getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo> {
    const internal = credentials as InternalCredentials;
    if (internal?.principal?.type !== 'user') {
      throw new InputError(
        `getUserInfo needs user credentials, got '${String(internal?.principal?.type)}' credentials; check auth.isPrincipal(credentials, 'user') first`,
      );
    }
    const token = internal.token;
    if (!token) {
      throw new InputError(
        'getUserInfo needs credentials that carry their token; pass the credentials from httpAuth.credentials() or auth.authenticate()',
      );
    }

    const { decodeJwt } = await loadJose();
    const { sub, ent } = decodeJwt(token);
    if (typeof sub !== 'string') {
      throw new InputError("The user token has no 'sub' claim");
    }
    if (ent !== undefined) {
      return { userEntityRef: sub, ownershipEntityRefs: checkRefs(ent, "the token's 'ent' claim") };
    }
    return this.#lookup(token, sub);
  }

  #lookup(token: string, userEntityRef: string): Promise<BackstageUserInfo> {
    const now = Date.now();
    const cached = this.#cache.get(token);
    if (cached && now - cached.at < CACHE_MAX_AGE_MS) {
      return cached.info;
    }
    const info = this.#fetch(token, userEntityRef);
    this.#cache.set(token, { info, at: now });
    info.catch(() => this.#cache.delete(token));
    if (this.#cache.size > CACHE_MAX_ENTRIES) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
    return info;
  }

  async #fetch(token: string, userEntityRef: string): Promise<BackstageUserInfo> {
    const url = `${await this.#discovery.getBaseUrl('auth')}/v1/userinfo`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10000),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new Error(
        `Could not look up the ownership of '${userEntityRef}' at '${url}': HTTP ${response.status} ${text.slice(0, 200)}`,
      );
    }
    const body = (await response.json()) as { claims?: { ent?: unknown }; ent?: unknown };
    const ent = body.claims?.ent ?? body.ent;
    return { userEntityRef, ownershipEntityRefs: checkRefs(ent, `the response of '${url}'`) };
  }
}

function checkRefs(value: unknown, source: string): string[] {
  if (!Array.isArray(value) || value.some(ref => typeof ref !== 'string')) {
    throw new InputError(`Ownership entity refs in ${source} must be an array of strings`);
  }
  return value as string[];
}
