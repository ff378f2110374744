import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { AuthenticationError, NotAllowedError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  BackstagePrincipalTypes,
  BackstageUserPrincipal,
  DiscoveryService,
  HttpAuthService,
} from '@backplane/plugin-api';

/** The cookie that carries a limited user token for browser-loaded assets. */
export const BACKSTAGE_AUTH_COOKIE = 'backstage-auth';

/** A cookie closer than this to expiry is replaced when `issueUserCookie` runs again. */
const COOKIE_RENEW_MARGIN_MS = 5 * 60 * 1000;

const BEARER = /^Bearer[ ]+(\S+)$/i;

type AnyRequest = Request<any, any, any, any, any>;

/** The bearer token of a request, or undefined. Other schemes count as no token. */
export function getBearerToken(req: { headers: { authorization?: string } }): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') {
    return undefined;
  }
  return BEARER.exec(header)?.[1];
}

function getCookieToken(req: AnyRequest): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || !header.includes(BACKSTAGE_AUTH_COOKIE)) {
    return undefined;
  }
  return parseCookies(header)[BACKSTAGE_AUTH_COOKIE] || undefined;
}

/**
 * The default `core.httpAuth`. Credentials are read once per request and kept in a WeakMap,
 * so the credentials barrier and the handler share one verification.
 */
export class DefaultHttpAuthService implements HttpAuthService {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #pluginId: string;
  readonly #full = new WeakMap<object, Promise<BackstageCredentials>>();
  readonly #limited = new WeakMap<object, Promise<BackstageCredentials>>();

  constructor(options: { auth: AuthService; discovery: DiscoveryService; pluginId: string }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#pluginId = options.pluginId;
  }

  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: AnyRequest,
    options?: { allow?: Array<TAllowed>; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const credentials = options?.allowLimitedAccess
      ? await this.#cached(this.#limited, req, () => this.#readLimited(req))
      : await this.#cached(this.#full, req, () => this.#read(req));

    const allowed = options?.allow as string[] | undefined;
    const type = (credentials.principal as { type: string }).type;
    if (!allowed || allowed.includes(type)) {
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
    if (res.headersSent) {
      throw new Error(
        'Cannot issue the user cookie: the response headers were already sent; call issueUserCookie before writing the response',
      );
    }
    const req = res.req as AnyRequest;
    const cookieOptions = await this.#cookieOptions();

    let credentials: BackstageCredentials<BackstageUserPrincipal>;
    if (options?.credentials) {
      if (this.#auth.isPrincipal(options.credentials, 'none')) {
        res.clearCookie(BACKSTAGE_AUTH_COOKIE, cookieOptions);
        return { expiresAt: new Date() };
      }
      if (!this.#auth.isPrincipal(options.credentials, 'user')) {
        throw new AuthenticationError('Refused to issue a user cookie for non-user credentials');
      }
      credentials = options.credentials;
    } else {
      credentials = await this.credentials(req, { allow: ['user'] });
    }

    const current = await this.#currentCookieExpiry(req);
    if (current && current.getTime() - Date.now() > COOKIE_RENEW_MARGIN_MS) {
      return { expiresAt: current };
    }

    const { token, expiresAt } = await this.#auth.getLimitedUserToken(credentials);
    res.cookie(BACKSTAGE_AUTH_COOKIE, token, { ...cookieOptions, expires: expiresAt });
    return { expiresAt };
  }

  #cached(
    map: WeakMap<object, Promise<BackstageCredentials>>,
    req: AnyRequest,
    read: () => Promise<BackstageCredentials>,
  ): Promise<BackstageCredentials> {
    let pending = map.get(req);
    if (!pending) {
      pending = read();
      map.set(req, pending);
    }
    return pending;
  }

  async #read(req: AnyRequest): Promise<BackstageCredentials> {
    const token = getBearerToken(req);
    return token ? this.#auth.authenticate(token) : this.#auth.getNoneCredentials();
  }

  async #readLimited(req: AnyRequest): Promise<BackstageCredentials> {
    const token = getBearerToken(req) ?? getCookieToken(req);
    return token
      ? this.#auth.authenticate(token, { allowLimitedAccess: true })
      : this.#auth.getNoneCredentials();
  }

  async #currentCookieExpiry(req: AnyRequest): Promise<Date | undefined> {
    const token = getCookieToken(req);
    if (!token) {
      return undefined;
    }
    try {
      const credentials = await this.#auth.authenticate(token, { allowLimitedAccess: true });
      return this.#auth.isPrincipal(credentials, 'user') ? credentials.expiresAt : undefined;
    } catch (error) {
      if ((error as Error).name === 'AuthenticationError') {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Cookie scope from the plugin's external URL: only that plugin's path receives it, and it is
   * `Secure` (with `SameSite=None`) on https and on localhost, `SameSite=Lax` otherwise.
   */
  async #cookieOptions() {
    const url = new URL(await this.#discovery.getExternalBaseUrl(this.#pluginId));
    const secure = url.protocol === 'https:' || url.hostname === 'localhost';
    return {
      domain: url.hostname,
      path: url.pathname.replace(/\/+$/, '') || '/',
      httpOnly: true,
      secure,
      sameSite: secure ? ('none' as const) : ('lax' as const),
      priority: 'high' as const,
    };
  }
}
