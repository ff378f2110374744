import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction } from 'express';
import type { Config, RootHealthService } from '@backplane/plugin-api';

/** The liveness endpoint. */
export const LIVENESS_PATH = '/.backstage/health/v1/liveness';
/** The readiness endpoint. */
export const READINESS_PATH = '/.backstage/health/v1/readiness';

/** Options for {@link createHealthHandler}. */
export interface HealthHandlerOptions {
  health: RootHealthService;
  /** Extra response headers, as in `backend.health.headers`. */
  headers?: Record<string, string>;
}

/**
 * A handler for `GET`/`HEAD` `/.backstage/health/v1/liveness` and `/readiness`, answering with
 * the status and JSON payload of the root health service. Other requests go to `next()`.
 */
export function createHealthHandler(options: HealthHandlerOptions) {
  const { health } = options;
  const headers = Object.entries(options.headers ?? {});

  return function healthHandler(req: IncomingMessage, res: ServerResponse, next: NextFunction) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path = q === -1 ? url : url.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) {
      path = path.slice(0, -1);
    }
    const check =
      path === LIVENESS_PATH ? 'liveness' : path === READINESS_PATH ? 'readiness' : undefined;
    if (!check || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const pending = check === 'liveness' ? health.getLiveness() : health.getReadiness();
    pending.then(
      ({ status, payload }) => {
        for (const [name, value] of headers) {
          res.setHeader(name, value);
        }
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(payload ?? {}));
      },
      error => next(error),
    );
  };
}

/** Reads `backend.health.headers`: a map of header names to string values. */
export function readHealthHeaders(config: Config): Record<string, string> | undefined {
  const headers = config.getOptionalConfig('backend.health.headers');
  if (!headers) {
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const name of headers.keys()) {
    result[name] = headers.getString(name);
  }
  return result;
}
