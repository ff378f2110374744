import { pathToRegexp } from 'path-to-regexp';
import type { HttpRouterServiceAuthPolicy } from '@backplane/plugin-api';

/** What the credentials barrier does for a path. */
export type AuthPolicyDecision = 'protected' | 'unauthenticated' | 'user-cookie';

/*
 * Security reasoning.
 *
 * A policy opens paths; the plugin's Express router then picks the handler. A request may skip
 * the credentials check only if every handler the router could pick for it lies under an opened
 * path. So the barrier must judge the very string the router matches on, and refuse to open
 * anything that a later step could read as a different path:
 *
 * - It matches `req.url` relative to the plugin mount, without the query string: the same
 *   undecoded path Express routes on. It never decodes or normalises before matching, because a
 *   normalised view (`/public/../admin` → `/admin`, or the reverse) differs from the router's.
 * - A path opens only if it is in canonical form: one leading `/`, no empty segments (`//`), no
 *   `.` or `..` segments (also not as `%2e`), no encoded `/` or `\` (`%2f`, `%5c`), no backslash,
 *   no `#`, only RFC 3986 path characters and well-formed escapes. Express does not resolve dot
 *   segments, but handlers such as static file servers decode and resolve them, so
 *   `/public/..%2fsecret` or `/public/../secret` could reach a protected file. Any such path is
 *   judged protected; clients that follow the URL standard never send them.
 * - Matching is by whole segments (path-to-regexp 8 with `end: false`): `/health` opens `/health`,
 *   `/health/` and `/health/x`, never `/healthz`.
 * - Matching is case-sensitive. Express routes case-insensitively by default, so `/HEALTH`
 *   reaches the `/health` handler, but opening only the exact spelling opens a subset of what a
 *   case-insensitive match would: `/HEALTH` then needs credentials, it never opens anything new.
 * - The method plays no part: HEAD and OPTIONS are judged like GET, so Express's automatic HEAD
 *   and OPTIONS answers are opened exactly where GET is.
 */
const CANONICAL_PATH = /^(?=\/)(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+)*\/?$/;
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e)(?:\.|%2e)?(?=\/|$)/i;

/** True when `path` is in the canonical form described above. */
export function isCanonicalPath(path: string): boolean {
  return CANONICAL_PATH.test(path) && !ENCODED_SEPARATOR.test(path) && !DOT_SEGMENT.test(path);
}

interface CompiledPolicy {
  path: string;
  regexp: RegExp;
}

/**
 * The auth policies of one plugin, compiled once, and the decision for a request path.
 */
export class AuthPolicyMatcher {
  readonly #pluginId: string;
  readonly #unauthenticated: CompiledPolicy[] = [];
  readonly #userCookie: CompiledPolicy[] = [];

  constructor(pluginId: string) {
    this.#pluginId = pluginId;
  }

  /** Validates and compiles a policy; throws with the fix when the path or `allow` is wrong. */
  add(policy: HttpRouterServiceAuthPolicy): void {
    const { path, allow } = policy ?? ({} as HttpRouterServiceAuthPolicy);
    const where = `addAuthPolicy({ path: ${JSON.stringify(path)} }) of plugin '${this.#pluginId}'`;
    if (allow !== 'unauthenticated' && allow !== 'user-cookie') {
      throw new TypeError(
        `${where}: 'allow' is ${JSON.stringify(allow)}; it must be 'unauthenticated' or 'user-cookie'.`,
      );
    }
    if (typeof path !== 'string' || (path !== '*' && !path.startsWith('/'))) {
      throw new TypeError(
        `${where}: the path must start with '/' and be relative to the plugin, for example '/health'.`,
      );
    }
    const prefix = `/api/${this.#pluginId}`.toLowerCase();
    const lower = path.toLowerCase();
    const at = lower.indexOf(prefix);
    if (at !== -1 && (lower.length === at + prefix.length || lower[at + prefix.length] === '/')) {
      const relative = path.slice(at + prefix.length) || '/';
      throw new TypeError(
        `${where}: policy paths are relative to the plugin, so drop the '/api/${this.#pluginId}' prefix and write '${relative}'.`,
      );
    }
    const target = allow === 'unauthenticated' ? this.#unauthenticated : this.#userCookie;
    target.push({ path, regexp: compile(path, where) });
  }

  /**
   * The barrier's decision for `path` (the request path relative to the plugin, with or without
   * a query string). A path under an `unauthenticated` policy needs no credentials; one under a
   * `user-cookie` policy accepts limited (cookie) credentials; anything else is protected.
   */
  decide(url: string): AuthPolicyDecision {
    if (this.#unauthenticated.length === 0 && this.#userCookie.length === 0) {
      return 'protected';
    }
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    let decision: AuthPolicyDecision = 'protected';
    if (this.#unauthenticated.some(p => p.regexp.test(path))) {
      decision = 'unauthenticated';
    } else if (this.#userCookie.some(p => p.regexp.test(path))) {
      decision = 'user-cookie';
    }
    return decision === 'protected' || isCanonicalPath(path) ? decision : 'protected';
  }
}

const MATCH_ALL = /^/;

function compile(path: string, where: string): RegExp {
  // '/' and '*' open the whole plugin.
  if (path === '/' || path === '/*' || path === '*') {
    return MATCH_ALL;
  }
  // A trailing slash would make the pattern match only paths that end in one.
  const pattern = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  try {
    return pathToRegexp(pattern, { end: false, sensitive: true }).regexp;
  } catch (error) {
    throw new TypeError(
      `${where}: the path is not a valid pattern (${(error as Error).message}); use literal segments and ':name' parameters, for example '/items/:id'.`,
      { cause: error },
    );
  }
}
