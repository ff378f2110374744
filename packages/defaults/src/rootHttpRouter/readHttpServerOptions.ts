import type { Config } from '@backplane/plugin-api';
import { readDurationMs } from './readDuration';

/** Where and how the HTTP server listens, read from `backend.*` config. */
export interface HttpServerOptions {
  listen: {
    /** The interface to bind; `undefined` binds all interfaces. */
    host?: string;
    /** The port; `0` asks the OS for a free one. */
    port: number;
  };
  /** TLS material from `backend.https.certificate`, when configured. */
  https?: { cert: string; key: string };
  /** `backend.server.*`: timeouts in milliseconds and limits. */
  server: {
    headersTimeout?: number;
    requestTimeout?: number;
    keepAliveTimeout?: number;
    timeout?: number;
    maxHeadersCount?: number;
    maxRequestsPerSocket?: number;
  };
}

/** The port used when `backend.listen` gives none. */
export const DEFAULT_PORT = 7007;

/**
 * Reads `backend.listen` (`'host:port'`, `':port'`, a port number, or `{ host, port }`),
 * `backend.https.certificate.{cert,key}` and `backend.server.*`.
 */
export function readHttpServerOptions(config: Config): HttpServerOptions {
  return {
    listen: readListen(config),
    https: readHttps(config),
    server: readServer(config),
  };
}

function readListen(config: Config): HttpServerOptions['listen'] {
  const value = config.getOptional<unknown>('backend.listen');
  if (value === undefined || value === null) {
    return { port: DEFAULT_PORT };
  }
  if (typeof value === 'number') {
    return { port: checkPort(value, 'backend.listen') };
  }
  if (typeof value === 'string') {
    return parseListenString(value);
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const { host, port } = value as { host?: unknown; port?: unknown };
    if (host !== undefined && typeof host !== 'string') {
      throw new Error(
        `Invalid 'backend.listen.host' ${JSON.stringify(host)}; ` +
          "write a host name or address such as '127.0.0.1', " +
          'or leave it out to listen on all interfaces.',
      );
    }
    return {
      host: host || undefined,
      port: port === undefined ? DEFAULT_PORT : checkPort(port, 'backend.listen.port'),
    };
  }
  throw new Error(
    `Invalid 'backend.listen' ${JSON.stringify(value)}; ` +
      "write it as 'host:port', ':port' or { host, port }.",
  );
}

function parseListenString(value: string): HttpServerOptions['listen'] {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let host: string | undefined;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if (/^\d+$/.test(text)) {
    portText = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon === -1 || text.indexOf(':') !== colon) {
      throw new Error(
        `Invalid 'backend.listen' '${value}'; write it as 'host:port' or ':port', ` +
          "for example ':7007' or '127.0.0.1:7007'.",
      );
    }
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  return {
    host: host || undefined,
    port: portText ? checkPort(portText, 'backend.listen') : DEFAULT_PORT,
  };
}

function checkPort(value: unknown, key: string): number {
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `Invalid port ${JSON.stringify(value)} at '${key}'; ` +
        'write a whole number from 0 to 65535 (0 picks a free port).',
    );
  }
  return port;
}

const HTTPS_EXAMPLE =
  'backend.https: { certificate: { cert: { $file: ./certs/backend.crt }, ' +
  'key: { $file: ./certs/backend.key } } }';

function readHttps(config: Config): HttpServerOptions['https'] {
  const value = config.getOptional<unknown>('backend.https');
  if (value === undefined || value === false) {
    return undefined;
  }
  const fix =
    `give a PEM certificate and private key, for example '${HTTPS_EXAMPLE}', ` +
    "or remove 'backend.https' and terminate TLS in a proxy.";
  if (value === true) {
    throw new Error(
      "Invalid 'backend.https': true asks for a generated self-signed certificate, " +
        `which Backplane does not support; ${fix}`,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `Invalid 'backend.https' ${JSON.stringify(value)}: it must be an object with ` +
        `'certificate.cert' and 'certificate.key'; ${fix}`,
    );
  }
  const cert = config.getOptionalString('backend.https.certificate.cert');
  const key = config.getOptionalString('backend.https.certificate.key');
  if (!cert || !key) {
    const missing = !cert && !key ? 'both are missing' : `'${cert ? 'key' : 'cert'}' is missing`;
    throw new Error(
      "Invalid 'backend.https': it needs both 'backend.https.certificate.cert' and " +
        `'backend.https.certificate.key', and ${missing}; ${fix}`,
    );
  }
  return { cert, key };
}

const DURATION_KEYS = ['headersTimeout', 'requestTimeout', 'keepAliveTimeout', 'timeout'] as const;
const COUNT_KEYS = ['maxHeadersCount', 'maxRequestsPerSocket'] as const;

/** A `backend.server.*` timeout, which may also be a plain number of milliseconds. */
function readServerDuration(config: Config, key: string): number {
  try {
    return readDurationMs(config, key, 0);
  } catch (error) {
    const value = JSON.stringify(config.getOptional<unknown>(key));
    throw new Error(
      `Invalid '${key}' ${value}; write milliseconds as a number, ` +
        "or a duration like '30s' or { seconds: 30 }.",
      { cause: error },
    );
  }
}

function readServer(config: Config): HttpServerOptions['server'] {
  const result: HttpServerOptions['server'] = {};
  for (const name of DURATION_KEYS) {
    const key = `backend.server.${name}`;
    const value = config.getOptional<unknown>(key);
    if (value === undefined) {
      continue;
    }
    result[name] =
      typeof value === 'number' && value >= 0 ? value : readServerDuration(config, key);
  }
  for (const name of COUNT_KEYS) {
    const key = `backend.server.${name}`;
    const value = config.getOptional<unknown>(key);
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(
        `Invalid '${key}' ${JSON.stringify(value)}; write a whole number (0 = no limit).`,
      );
    }
    result[name] = value;
  }
  return result;
}
