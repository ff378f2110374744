import type { ServerResponse } from 'node:http';
import type { Handler, NextFunction, Request, Response } from 'express';
import { NotAllowedError } from '@backplane/plugin-api';
import type { AuthService, BackstageCredentials, HttpAuthService } from '@backplane/plugin-api';
import type { AuthPolicyMatcher } from './AuthPolicyMatcher';
import type { LifecycleGate } from './LifecycleGate';

/** The public JWKS of the plugin's service tokens. */
export const JWKS_PATH = '/.backstage/auth/v1/jwks.json';
/** Issues (GET) and clears (DELETE) the user cookie. */
export const COOKIE_PATH = '/.backstage/auth/v1/cookie';

/** What {@link createPluginRequestHandler} needs. */
export interface PluginRequestHandlerOptions {
  pluginId: string;
  /** The Express router holding the plugin's handlers, in `use()` order. */
  router: Handler;
  gate: LifecycleGate;
  policies: AuthPolicyMatcher;
  auth: AuthService;
  httpAuth: HttpAuthService;
  /** False when `backend.auth.dangerouslyDisableDefaultAuthPolicy` is set. */
  barrier: boolean;
}

const ALLOW_DEFAULT: Array<'user' | 'service'> = ['user', 'service'];

/**
 * The handler mounted at `/api/<pluginId>`. Per request, in order: the public JWKS; the
 * lifecycle gate (wait for start, 503 when stopping); the credentials barrier (unless an auth
 * policy opens the path); the cookie endpoints; the plugin's handlers. Errors go to `next(err)`,
 * where the root router writes the standard error body.
 *
 * Once the plugin has started, an open route costs a string compare, a property read and the
 * policy match, with no awaits; a protected one adds one `httpAuth.credentials` call.
 */
export function createPluginRequestHandler(options: PluginRequestHandlerOptions): Handler {
  const { pluginId, router, gate, policies, auth, httpAuth, barrier } = options;

  function afterGate(req: Request, res: Response, next: NextFunction): void {
    if (barrier) {
      const decision = policies.decide(req.url);
      if (decision !== 'unauthenticated') {
        httpAuth
          .credentials(req, {
            allow: ALLOW_DEFAULT,
            allowLimitedAccess: decision === 'user-cookie',
          })
          .then(credentials => afterBarrier(req, res, next, credentials))
          .then(undefined, next);
        return;
      }
    }
    afterBarrier(req, res, next, undefined);
  }

  function afterBarrier(
    req: Request,
    res: Response,
    next: NextFunction,
    credentials: BackstageCredentials | undefined,
  ): void {
    if (isPath(req.url, COOKIE_PATH)) {
      if (req.method === 'GET') {
        issueCookie(req, res, credentials).then(undefined, next);
        return;
      }
      if (req.method === 'DELETE') {
        clearCookie(res).then(undefined, next);
        return;
      }
    }
    router(req, res, next);
  }

  async function issueCookie(
    req: Request,
    res: Response,
    known: BackstageCredentials | undefined,
  ): Promise<void> {
    const credentials = known ?? (await httpAuth.credentials(req, { allow: ['user'] }));
    if (!auth.isPrincipal(credentials, 'user')) {
      const type = (credentials.principal as { type?: string })?.type ?? 'unknown';
      throw new NotAllowedError(
        `The cookie endpoint of plugin '${pluginId}' issues cookies to users only, but the request carried '${type}' credentials; call it with a user token.`,
      );
    }
    const { expiresAt } = await httpAuth.issueUserCookie(res, { credentials });
    sendJson(res, 200, { expiresAt: expiresAt.toISOString() });
  }

  async function clearCookie(res: Response): Promise<void> {
    const credentials = await auth.getNoneCredentials();
    await httpAuth.issueUserCookie(res, { credentials });
    res.statusCode = 204;
    res.end();
  }

  return function pluginRequestHandler(req, res, next) {
    if (isPath(req.url, JWKS_PATH) && (req.method === 'GET' || req.method === 'HEAD')) {
      auth.listPublicServiceKeys().then(keys => sendJson(res, 200, keys), next);
      return;
    }
    if (!gate.isOpen) {
      gate
        .wait()
        .then(() => afterGate(req, res, next))
        .then(undefined, next);
      return;
    }
    afterGate(req, res, next);
  };
}

/** True when the path of `url` is `path`, with or without a trailing slash. */
function isPath(url: string, path: string): boolean {
  if (!url.startsWith(path)) {
    return false;
  }
  const rest = url.length - path.length;
  if (rest === 0) {
    return true;
  }
  const c = url[path.length];
  return c === '?' || (c === '/' && (rest === 1 || url[path.length + 1] === '?'));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
