import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Handler, NextFunction } from 'express';
import type {
  RootHttpRouterService,
  RootHttpRouterServiceWebSocketHandler,
} from '@backplane/plugin-api';
import { LifecycleGate } from '../httpRouter/LifecycleGate';
import { createErrorResponseBody, errorStatusCode, pathOf } from './errorResponse';

/** Options for {@link DefaultRootHttpRouter.create}. */
export interface DefaultRootHttpRouterOptions {
  /**
   * Where requests go that match no path and are not under `/api/`: the handler mounted at this
   * path gets them with `req.baseUrl` empty, so a plugin can serve a web app at `/`. Default
   * `'/api/app'`; `false` turns it off.
   */
  indexPath?: string | false;
}

/** Options for {@link DefaultRootHttpRouter.expectPlugins}. */
export interface ExpectedPluginsOptions {
  /** The ids of the installed plugins; each will mount `/api/<pluginId>`. */
  pluginIds: Iterable<string>;
  /** How long a request waits for the mount: `backend.lifecycle.startupRequestPauseTimeout`. */
  timeoutMs: number;
}

interface Mount {
  path: string;
  handler: Handler;
}

type Request = IncomingMessage & {
  originalUrl?: string;
  baseUrl?: string;
  res?: ServerResponse;
};

/**
 * The table of root routes. Each `use(path, handler)` owns a path prefix; prefixes may not
 * overlap, so a request is routed by looking up its leading segments in a map (case-insensitive,
 * as Express matches mount paths) without scanning a list.
 */
export class DefaultRootHttpRouter implements RootHttpRouterService {
  readonly #mounts = new Map<string, Mount>();
  readonly #webSockets = new Map<string, RootHttpRouterServiceWebSocketHandler>();
  /** Gates of installed plugins not mounted yet, by lower-cased `/api/<pluginId>`. */
  readonly #expected = new Map<string, LifecycleGate>();
  readonly #indexPath: string | undefined;
  #maxDepth = 0;
  #onFirstWebSocketHandler?: () => void;

  static create(options: DefaultRootHttpRouterOptions = {}): DefaultRootHttpRouter {
    return new DefaultRootHttpRouter(options);
  }

  private constructor(options: DefaultRootHttpRouterOptions) {
    const indexPath = options.indexPath ?? '/api/app';
    this.#indexPath = indexPath === false ? undefined : indexPath.toLowerCase();
  }

  use(path: string, handler: Handler): void {
    assertMountPath(path);
    if (typeof handler !== 'function') {
      throw new TypeError(
        `rootHttpRouter.use('${path}', handler): the handler must be a function such as an Express router.`,
      );
    }
    const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const key = normalized.toLowerCase();
    for (const existing of this.#mounts.values()) {
      const other = existing.path.toLowerCase();
      if (overlaps(key, other)) {
        throw new Error(
          `rootHttpRouter.use('${path}') overlaps the path '${existing.path}' that is already in use; each handler needs its own path, and neither may be a prefix of the other.`,
        );
      }
    }
    this.#mounts.set(key, { path: normalized, handler });
    this.#maxDepth = Math.max(this.#maxDepth, segmentCount(key));
    const expected = this.#expected.get(key);
    if (expected) {
      this.#expected.delete(key);
      expected.markStarted();
    }
  }

  /**
   * Declares the installed plugins. Until a plugin mounts `/api/<pluginId>`, requests under that
   * path wait for the mount (bounded by `timeoutMs`) and then get 503, instead of 404. Plugins
   * already mounted are skipped; requests to mounted paths are not affected.
   */
  expectPlugins(options: ExpectedPluginsOptions): void {
    for (const pluginId of options.pluginIds) {
      const key = `/api/${pluginId}`.toLowerCase();
      if (!this.#mounts.has(key) && !this.#expected.has(key)) {
        this.#expected.set(key, new LifecycleGate({ pluginId, timeoutMs: options.timeoutMs }));
      }
    }
  }

  /**
   * Marks the backend as started: an expected plugin that has not mounted its path by now failed to
   * start, and requests to it get 503 at once.
   */
  markStarted(): void {
    for (const gate of this.#expected.values()) {
      gate.markFailed();
    }
  }

  /** Marks the backend as shutting down: requests waiting for a plugin to mount get 503. */
  markStopping(): void {
    for (const gate of this.#expected.values()) {
      gate.markStopping();
    }
  }

  addWebSocketHandler(options: RootHttpRouterServiceWebSocketHandler): void {
    const { path, handler } = options ?? {};
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError(
        `rootHttpRouter.addWebSocketHandler: the path '${String(path)}' must be an absolute path starting with '/'.`,
      );
    }
    if (typeof handler !== 'function') {
      throw new TypeError(
        `rootHttpRouter.addWebSocketHandler('${path}'): the handler must be a function.`,
      );
    }
    if (this.#webSockets.has(path)) {
      throw new Error(
        `rootHttpRouter.addWebSocketHandler('${path}'): a WebSocket handler is already registered at this path; register one handler per path.`,
      );
    }
    this.#webSockets.set(path, { path, handler });
    if (this.#webSockets.size === 1) {
      this.#onFirstWebSocketHandler?.();
    }
  }

  /** Calls `listener` when the first WebSocket handler is added (or now, if there is one). */
  onWebSocketHandlerAdded(listener: () => void): void {
    this.#onFirstWebSocketHandler = listener;
    if (this.#webSockets.size > 0) {
      listener();
    }
  }

  /**
   * Routes `req` to the handler whose path prefixes it, with `req.originalUrl` the full URL,
   * `req.baseUrl` the matched prefix and `req.url` the rest. Calls `next()` when no path matches
   * and `next(err)` when the handler fails or passes an error on.
   */
  handle(req: Request, res: ServerResponse, next: NextFunction): void {
    const url = req.url ?? '/';
    const path = pathOf(url);
    const prefixLength = this.#match(path);
    if (prefixLength < 0) {
      if (this.#expected.size > 0 && this.#waitForMount(path, req, res, next)) {
        return;
      }
      const index = this.#indexPath !== undefined && !isApiPath(path);
      const mount = index ? this.#mounts.get(this.#indexPath!) : undefined;
      if (!mount) {
        next();
        return;
      }
      this.#dispatch(mount, req, res, next, req.baseUrl ?? '', url);
      return;
    }
    const mount = this.#mounts.get(path.slice(0, prefixLength).toLowerCase())!;
    const rest = url.slice(prefixLength);
    const relative = rest.length === 0 || rest[0] === '?' ? `/${rest}` : rest;
    this.#dispatch(
      mount,
      req,
      res,
      next,
      (req.baseUrl ?? '') + url.slice(0, prefixLength),
      relative,
    );
  }

  /** Hands an upgrade request to the WebSocket handler registered at its exact path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const entry = this.#webSockets.get(pathOf(request.url ?? '/'));
    if (!entry) {
      rejectUpgrade(request, socket, 404, undefined);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = entry.handler({ request, socket, head });
    } catch (error) {
      rejectUpgrade(request, socket, errorStatusCode(error), error);
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(undefined, error =>
        rejectUpgrade(request, socket, errorStatusCode(error), error),
      );
    }
  }

  /**
   * When `path` is under the `/api/<pluginId>` of an expected plugin, waits for the plugin to mount
   * it and routes the request again, or passes on the gate's 503 with `req.url` relative to the
   * plugin's path, as the plugin's own gate would. Returns false for other paths.
   */
  #waitForMount(path: string, req: Request, res: ServerResponse, next: NextFunction): boolean {
    const key = pluginPathOf(path);
    const gate = key === undefined ? undefined : this.#expected.get(key);
    if (!gate) {
      return false;
    }
    gate.wait().then(
      () => this.handle(req, res, next),
      (error: unknown) => {
        const url = req.url ?? '/';
        const rest = url.slice(key!.length);
        req.originalUrl ??= url;
        req.url = rest.length === 0 || rest[0] === '?' ? `/${rest}` : rest;
        next(error);
      },
    );
    return true;
  }

  /** The length of the mounted prefix of `path`, or -1 when no mount matches. */
  #match(path: string): number {
    if (this.#maxDepth === 0) {
      return -1;
    }
    const lower = path.toLowerCase();
    let end = 0;
    for (let depth = 0; depth < this.#maxDepth; depth++) {
      const slash = lower.indexOf('/', end + 1);
      end = slash === -1 ? lower.length : slash;
      if (this.#mounts.has(end === lower.length ? lower : lower.slice(0, end))) {
        return end;
      }
      if (slash === -1) {
        break;
      }
    }
    return -1;
  }

  #dispatch(
    mount: Mount,
    req: Request,
    res: ServerResponse,
    next: NextFunction,
    baseUrl: string,
    url: string,
  ): void {
    const parentBaseUrl = req.baseUrl;
    const parentUrl = req.url;
    req.originalUrl ??= req.url;
    req.baseUrl = baseUrl;
    req.url = url;
    req.res = res;
    const done: NextFunction = (err?: unknown) => {
      // The url stays as the handler saw it, so an error body names the path relative to the mount.
      req.baseUrl = parentBaseUrl;
      if (err === undefined || err === 'router' || err === 'route') {
        req.url = parentUrl;
        next();
      } else {
        next(err);
      }
    };
    try {
      const result = mount.handler(req as any, res as any, done) as unknown;
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, done);
      }
    } catch (error) {
      done(error);
    }
  }
}

function assertMountPath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path === '/') {
    throw new TypeError(
      `rootHttpRouter.use('${String(path)}'): the path must start with '/' and name at least one segment, for example '/api/my-plugin'.`,
    );
  }
  if (/[:*?()[\]{}\s]|\/\/|(^|\/)\.\.?(\/|$)/.test(path)) {
    throw new TypeError(
      `rootHttpRouter.use('${path}'): the path must be a plain prefix without patterns, dot segments or empty segments, for example '/api/my-plugin'.`,
    );
  }
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function segmentCount(path: string): number {
  return path.split('/').length - 1;
}

function isApiPath(path: string): boolean {
  return (
    path.length >= 4 &&
    path.slice(0, 4).toLowerCase() === '/api' &&
    (path.length === 4 || path[4] === '/')
  );
}

/** The lower-cased `/api/<pluginId>` that `path` is under, if any. */
function pluginPathOf(path: string): string | undefined {
  if (path.length <= 5 || !isApiPath(path)) {
    return undefined;
  }
  const slash = path.indexOf('/', 5);
  const end = slash === -1 ? path.length : slash;
  return end > 5 ? path.slice(0, end).toLowerCase() : undefined;
}

function rejectUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  statusCode: number,
  error: unknown,
): void {
  if (socket.destroyed) {
    return;
  }
  if ((socket as { bytesWritten?: number }).bytesWritten) {
    socket.destroy();
    return;
  }
  const body =
    error === undefined ? '' : JSON.stringify(createErrorResponseBody(error, request, statusCode));
  const reason = STATUS_TEXT[statusCode] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${statusCode} ${reason}\r\n` +
      'Connection: close\r\n' +
      (body ? 'Content-Type: application/json; charset=utf-8\r\n' : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};
