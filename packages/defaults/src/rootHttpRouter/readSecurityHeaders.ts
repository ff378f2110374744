import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HelmetOptions } from 'helmet';
import type { Config } from '@backplane/plugin-api';

/** Response headers set on every response, as `[name, value]` pairs. */
export type SecurityHeaders = ReadonlyArray<readonly [string, string]>;

/**
 * Reads `backend.csp` (directive → list of sources, or `false` to drop a default directive) and
 * `backend.referrer.policy`, and returns the headers helmet would set with them, computed once.
 * Returns `undefined` when `backend.csp` is not configured, so no work is done per request.
 */
export function readSecurityHeaders(config: Config): SecurityHeaders | undefined {
  const csp = config.getOptionalConfig('backend.csp');
  if (!csp) {
    return undefined;
  }
  const directives: Record<string, string[] | null> = {};
  for (const name of csp.keys()) {
    const value = csp.getOptional<unknown>(name);
    if (value === false) {
      directives[name] = null;
    } else if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
      directives[name] = value as string[];
    } else {
      throw new Error(
        `Invalid 'backend.csp.${name}' ${JSON.stringify(value)}; write a list of sources such as ["'self'", 'https:'], or false to remove the directive.`,
      );
    }
  }
  const options: HelmetOptions = { contentSecurityPolicy: { useDefaults: true, directives } };
  const referrer = config.getOptionalString('backend.referrer.policy');
  if (referrer) {
    options.referrerPolicy = { policy: referrer as any };
  }
  return computeHelmetHeaders(options);
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
  // helmet loads only when 'backend.csp' is set.
  const helmet = (require('helmet') as typeof import('helmet')).default;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) {
    throw new Error(`Invalid 'backend.csp' configuration: ${String(failure)}`, { cause: failure });
  }
  return headers;
}
