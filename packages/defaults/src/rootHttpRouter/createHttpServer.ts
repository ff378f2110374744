import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@backplane/plugin-api';
import type { ExpressCompat } from './createExpressCompat';
import type { HttpServerOptions } from './readHttpServerOptions';

/**
 * Creates the server (HTTP, or HTTPS when configured) with the compat request/response classes
 * and the `backend.server.*` settings. Attach the request listener with `server.on('request')`.
 */
export function createHttpServer(
  options: HttpServerOptions,
  compat: Pick<ExpressCompat, 'Request' | 'Response'>,
): http.Server {
  const classes = { IncomingMessage: compat.Request, ServerResponse: compat.Response };
  const server = options.https
    ? https.createServer({ ...classes, cert: options.https.cert, key: options.https.key })
    : http.createServer(classes);
  const { headersTimeout, requestTimeout, keepAliveTimeout, timeout } = options.server;
  const { maxHeadersCount, maxRequestsPerSocket } = options.server;
  if (headersTimeout !== undefined) server.headersTimeout = headersTimeout;
  if (requestTimeout !== undefined) server.requestTimeout = requestTimeout;
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  if (timeout !== undefined) server.setTimeout(timeout);
  if (maxHeadersCount !== undefined) server.maxHeadersCount = maxHeadersCount;
  if (maxRequestsPerSocket !== undefined) server.maxRequestsPerSocket = maxRequestsPerSocket;
  return server;
}

/**
 * Starts listening. A port that is taken fails with one error naming the port, the config key
 * and the fix; other listen errors name the address and keep the cause.
 */
export async function listenHttpServer(
  server: http.Server,
  listen: HttpServerOptions['listen'],
): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(describeListenError(error, listen));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(listen.port, listen.host);
  });
  return server.address() as AddressInfo;
}

function describeListenError(
  error: NodeJS.ErrnoException,
  listen: HttpServerOptions['listen'],
): Error {
  const where = listen.host ? `${listen.host}:${listen.port}` : `port ${listen.port}`;
  if (error.code === 'EADDRINUSE') {
    return new Error(
      `Cannot listen on ${where}: the port is already in use by another process. Stop that process, or choose another port with 'backend.listen' in app-config.yaml (for example 'backend.listen: :${listen.port === 65535 ? 7007 : listen.port + 1}').`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new Error(
      `Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Choose a port from 1024 up with 'backend.listen' in app-config.yaml.`,
      { cause: error },
    );
  }
  return new Error(
    `Cannot listen on ${where} ('backend.listen'): ${error.message}. Check the host and port in 'backend.listen'.`,
    { cause: error },
  );
}

/** Options for {@link stopHttpServer}. */
export interface StopHttpServerOptions {
  /** Wait this long before closing, so load balancers see readiness fail first. */
  delayMs: number;
  /** Longest wait for in-flight requests; then remaining connections are destroyed. */
  timeoutMs: number;
  logger: LoggerService;
  /** Called right before the server stops accepting connections. */
  onClosing?(): void;
}

/**
 * Stops accepting connections, lets in-flight requests finish (bounded by `timeoutMs`), closes
 * idle keep-alive connections as they become idle, and resolves when the server is closed.
 */
export async function stopHttpServer(
  server: http.Server,
  options: StopHttpServerOptions,
): Promise<void> {
  if (!server.listening) {
    return;
  }
  if (options.delayMs > 0) {
    await new Promise(resolve => setTimeout(resolve, options.delayMs));
  }
  options.onClosing?.();
  const closed = new Promise<void>(resolve => server.close(() => resolve()));
  server.closeIdleConnections();
  // Connections that were busy become idle once their response is sent; close them then.
  const sweeper = setInterval(() => server.closeIdleConnections(), 25);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>(resolve => {
    timer = setTimeout(() => resolve(true), options.timeoutMs);
  });
  try {
    if (await Promise.race([closed.then(() => false), timedOut])) {
      options.logger.warn('In-flight requests did not finish in time; closing their connections', {
        timeoutMs: options.timeoutMs,
        configKey: 'backend.lifecycle.serverShutdownTimeout',
      });
      server.closeAllConnections();
      await closed;
    }
  } finally {
    clearInterval(sweeper);
    clearTimeout(timer);
  }
}
