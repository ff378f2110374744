import { AuthenticationError, NotAllowedError } from '@backplane/plugin-api';
import type {
  BackstageCredentials,
  BackstagePrincipalTypes,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backplane/plugin-api';
import type { Request, Response } from 'express';
import { MockAuthService } from './MockAuthService';
import { mockCredentials, mockTokens } from './mockCredentials';

/** Options for {@link MockHttpAuthService}. */
export interface MockHttpAuthServiceOptions {
  pluginId: string;
  /**
   * The credentials of a request that carries neither an `Authorization` header nor a mock cookie.
   * Default: `mockCredentials.user()`, as in `@backstage/backend-test-utils`, so tests written for
   * it pass unchanged. Send `mockCredentials.none.header()` to make a request without credentials.
   */
  defaultCredentials?: BackstageCredentials;
}

const LIMITED_COOKIE_TTL_MS = 3600_000;

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index !== -1 && part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      return value.includes('%') ? decodeURIComponent(value) : value;
    }
  }
  return undefined;
}

/**
 * An HttpAuthService that reads the mock tokens of {@link mockCredentials} from the
 * `Authorization: Bearer …` header, or from the `backstage-auth` cookie where limited access is
 * allowed, and checks the principal type against `allow` like the real service.
 */
export class MockHttpAuthService implements HttpAuthService {
  readonly #auth: MockAuthService;
  readonly #defaultCredentials: BackstageCredentials;

  constructor(options: MockHttpAuthServiceOptions) {
    this.#auth = new MockAuthService({ pluginId: options.pluginId });
    this.#defaultCredentials = options.defaultCredentials ?? mockCredentials.user();
  }

  async #read(req: Request<any, any, any, any, any>, allowLimitedAccess: boolean) {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer[ ]+(\S+)$/i.exec(header)?.[1] : undefined;
    if (token) {
      if (token === mockTokens.none) {
        return this.#auth.getNoneCredentials();
      }
      return this.#auth.authenticate(token, { allowLimitedAccess });
    }

    if (allowLimitedAccess) {
      const cookie = readCookie(req.headers.cookie, mockTokens.cookieName);
      if (cookie) {
        return this.#auth.authenticate(cookie, { allowLimitedAccess: true });
      }
    }
    return this.#defaultCredentials;
  }

  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request<any, any, any, any, any>,
    options?: { allow?: Array<TAllowed>; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const credentials = await this.#read(req, options?.allowLimitedAccess ?? false);
    const allow = options?.allow as string[] | undefined;
    if (!allow) {
      return credentials as BackstageCredentials<BackstagePrincipalTypes[TAllowed]>;
    }

    const type = (credentials.principal as { type: string }).type;
    if (allow.includes(type)) {
      return credentials as BackstageCredentials<BackstagePrincipalTypes[TAllowed]>;
    }
    if (type === 'none') {
      throw new AuthenticationError('Missing credentials');
    }
    throw new NotAllowedError(`This endpoint does not allow '${type}' credentials`);
  }

  async issueUserCookie(
    res: Response<any, any>,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }> {
    const credentials =
      options?.credentials ?? (await this.credentials(res.req, { allow: ['user'] }));
    const principal = credentials.principal as BackstageUserPrincipal;
    if (principal?.type !== 'user') {
      throw new AuthenticationError(
        `Refused to issue a user cookie for credential type '${(principal as { type?: string })?.type}'`,
      );
    }
    res.setHeader('Set-Cookie', mockCredentials.limitedUser.cookie(principal.userEntityRef));
    return { expiresAt: new Date(Date.now() + LIMITED_COOKIE_TTL_MS) };
  }
}
