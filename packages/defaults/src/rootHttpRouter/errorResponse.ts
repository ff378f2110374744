import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError, isError, statusCodeByErrorName } from '@backplane/plugin-api';
import type { LoggerService } from '@backplane/plugin-api';
import { describeRequestBodyError } from './describeRequestBodyError';

/** The JSON body of every error response. */
export interface ErrorResponseBody {
  error: { name: string; message: string; stack?: string };
  request: { method: string; url: string };
  response: { statusCode: number };
}

/** Options for {@link sendErrorResponse} and {@link createErrorHandler}. */
export interface ErrorResponseOptions {
  /** Where 5xx errors are logged, with their stack. */
  logger?: LoggerService;
  /** Include `error.stack` in the body. Off by default; turn it on for local development only. */
  showStackTraces?: boolean;
}

/**
 * The status code for an error: an explicit numeric `statusCode` or `status` on it first, then its
 * `name` (InputError 400, AuthenticationError 401, NotAllowedError 403, NotFoundError 404,
 * ConflictError 409, NotModifiedError 304, NotImplementedError 501, ServiceUnavailableError 503),
 * else 500.
 */
export function errorStatusCode(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
    if (isHttpStatus(statusCode)) {
      return statusCode;
    }
    if (isHttpStatus(status)) {
      return status;
    }
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && Object.hasOwn(statusCodeByErrorName, name)) {
      return statusCodeByErrorName[name];
    }
  }
  return 500;
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/** Builds the standard error body for `error` on `req` (its `url` as the handler saw it). */
export function createErrorResponseBody(
  error: unknown,
  req: Pick<IncomingMessage, 'method' | 'url'>,
  statusCode: number,
  showStackTraces = false,
): ErrorResponseBody {
  const err = isError(error) ? error : undefined;
  const body: ErrorResponseBody = {
    error: {
      name: err ? err.name : 'Error',
      message: err ? err.message : String(error),
    },
    request: { method: req.method ?? 'GET', url: req.url ?? '/' },
    response: { statusCode },
  };
  if (showStackTraces && err?.stack) {
    body.error.stack = err.stack;
  }
  return body;
}

/**
 * Writes the standard JSON error body for `error`. Errors a body parser raised are first reworded
 * to say they are about the request body (see {@link describeRequestBodyError}). 5xx errors are
 * logged with their stack on `options.logger`. If the response has already started, the
 * connection is closed instead, as the client cannot be told about the error any more.
 */
export function sendErrorResponse(
  thrown: unknown,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  options: ErrorResponseOptions = {},
): void {
  const error = describeRequestBodyError(thrown, req) ?? thrown;
  const statusCode = errorStatusCode(error);
  if (statusCode >= 500 && options.logger) {
    const logger = options.logger.child({
      method: req.method ?? '',
      url: req.originalUrl ?? req.url ?? '',
    });
    if (statusCode === 503) {
      // Unavailable for now (a plugin starting or stopping, an upstream down): expected, and
      // often many at once, so a warning with the message rather than an error with its stack.
      logger.warn('Request refused: service unavailable', { reason: messageOf(error) });
    } else {
      logger.error('Request failed', isError(error) ? error : { error: String(error) });
    }
  }
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.statusCode = statusCode;
  if (statusCode === 304) {
    res.end();
    return;
  }
  const body = createErrorResponseBody(error, req, statusCode, options.showStackTraces);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** An Express error handler that answers with the standard error body. */
export function createErrorHandler(options: ErrorResponseOptions = {}): ErrorRequestHandler {
  return (error, req, res, _next) => sendErrorResponse(error, req, res, options);
}

/**
 * A handler that answers every request it gets with 404. Under `/api/` the body is the standard
 * JSON error body with a NotFoundError naming the path; elsewhere it is empty.
 */
export function createNotFoundHandler(options: ErrorResponseOptions = {}): RequestHandler {
  return (req, res) => sendNotFound(req, res, options);
}

/** Answers `req` with 404 (see {@link createNotFoundHandler}). */
export function sendNotFound(
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  options: ErrorResponseOptions = {},
): void {
  const fullUrl = req.originalUrl ?? req.url ?? '/';
  const path = pathOf(fullUrl);
  if (!/^\/api(\/|$)/i.test(path)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const method = req.method ?? 'GET';
  const error = new NotFoundError(
    `No route matches '${method} ${path}'; check the plugin id and the path ` +
      "(plugins are served at '/api/<pluginId>/...')",
  );
  sendErrorResponse(error, req, res, options);
}

function messageOf(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/** The path of a request target, without the query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
