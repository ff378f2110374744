import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HelmetOptions } from 'helmet';
import type { Config } from '@backplane/plugin-api';

/** Response headers set on every response, as `[name, value]` pairs. */
export type SecurityHeaders = ReadonlyArray<readonly [string, string]>;

/**
 * Reads `backend.csp` (directive → list of sources, or `false` to drop a directive) and
 * `backend.referrer.policy`, and returns the security headers every response gets, computed once
 * with helmet at start so that a request only copies them. Without configuration these are the
 * headers Backstage's runtime sends: helmet's defaults, with `script-src 'self' 'unsafe-eval'`, no
 * `form-action`, no cross-origin embedder, opener and resource policies or `Origin-Agent-Cluster`,
 * and `Referrer-Policy: no-referrer`.
 */
export function readSecurityHeaders(config: Config): SecurityHeaders {
  const directives: Record<string, string[] | null> = {
    'script-src': ["'self'", "'unsafe-eval'"],
    'form-action': null,
  };
  const csp = config.getOptionalConfig('backend.csp');
  for (const name of csp?.keys() ?? []) {
    const value = csp!.getOptional<unknown>(name);
    if (value === false) {
      directives[name] = null;
    } else if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
      directives[name] = value as string[];
    } else {
      throw new Error(
        `Invalid 'backend.csp.${name}' ${JSON.stringify(value)}; ` +
          `write a list of sources such as ["'self'", 'https:'], ` +
          'or false to remove the directive.',
      );
    }
  }
  const referrer = config.getOptionalString('backend.referrer.policy') ?? 'no-referrer';
  return computeHelmetHeaders({
    contentSecurityPolicy: { useDefaults: true, directives },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: { policy: referrer as any },
  });
}

/** Runs helmet once against a recording response and returns the headers it set. */
export function computeHelmetHeaders(options: HelmetOptions): SecurityHeaders {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader(name: string, value: string) {
      headers.push([name, String(value)]);
    },
    removeHeader() {},
  };
  let failure: unknown;
  const helmet = (require('helmet') as typeof import('helmet')).default;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) {
    throw new Error(`Invalid 'backend.csp' configuration: ${String(failure)}`, { cause: failure });
  }
  return headers;
}
