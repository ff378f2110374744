import { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Express } from 'express';

/** Request and response classes for `node:http` that behave like Express's. */
export interface ExpressCompat {
  /** The Express application whose settings (`trust proxy`, `json spaces`, …) the objects use. */
  app: Express;
  /** Pass as `IncomingMessage` to `http.createServer`. */
  Request: typeof IncomingMessage;
  /** Pass as `ServerResponse` to `http.createServer`. */
  Response: typeof ServerResponse;
}

/**
 * Creates request and response classes whose prototypes carry Express's request and response
 * methods (`req.get`, `req.query`, `res.json`, `res.status`, …), so the server can hand its own
 * objects to plugin routers without running an Express application per request.
 *
 * What Express's `init` and `query` middleware do per request is done here once, on the
 * prototype: `req.app`/`res.app` point at `app`, `req.query` is parsed on first read with the
 * app's query parser, and `res.locals` is created on first read. `req.res` is set by the
 * router when it dispatches.
 */
export function createExpressCompat(app: Express = createCompatApp()): ExpressCompat {
  class Request extends IncomingMessage {}
  class Response extends ServerResponse {}

  copyOwnProperties(express.request, Request.prototype);
  copyOwnProperties(express.response, Response.prototype);
  Object.defineProperty(Request.prototype, 'app', {
    value: app,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(Response.prototype, 'app', {
    value: app,
    configurable: true,
    writable: true,
  });
  defineLazyQuery(Request.prototype);
  defineLazyQuery(app.request);
  defineLazyLocals(Response.prototype);

  return { app, Request, Response: Response as typeof ServerResponse };
}

/** An Express application configured the way the compat objects need. */
export function createCompatApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  return app;
}

function copyOwnProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor) {
      Object.defineProperty(to, key, descriptor);
    }
  }
}

function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function defineLazyQuery(proto: object): void {
  Object.defineProperty(proto, 'query', {
    configurable: true,
    enumerable: false,
    get(this: IncomingMessage & { app?: Express }) {
      const parse = this.app?.get('query parser fn') as ((s: string) => unknown) | undefined;
      const url = this.url ?? '';
      const q = url.indexOf('?');
      const value = parse ? parse(q === -1 ? '' : url.slice(q + 1)) : {};
      defineOwn(this, 'query', value);
      return value;
    },
    set(value: unknown) {
      defineOwn(this, 'query', value);
    },
  });
}

function defineLazyLocals(proto: object): void {
  Object.defineProperty(proto, 'locals', {
    configurable: true,
    enumerable: false,
    get() {
      const value = Object.create(null);
      defineOwn(this, 'locals', value);
      return value;
    },
    set(value: unknown) {
      defineOwn(this, 'locals', value);
    },
  });
}
