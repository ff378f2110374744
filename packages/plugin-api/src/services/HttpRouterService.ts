import type { Handler } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { BackstageCredentials } from './AuthService';

/** An auth policy that opens a path of the plugin. */
export interface HttpRouterServiceAuthPolicy {
  /** A path relative to the plugin, like `/health` or `/items/:id`. */
  path: string;
  allow: 'unauthenticated' | 'user-cookie';
}

/** What a plugin's WebSocket upgrade handler gets: the raw upgrade and the caller's credentials. */
export interface HttpRouterServiceWebSocketContext {
  request: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  credentials: BackstageCredentials;
  /** The offered protocol value that authenticated the caller, if any. */
  authProtocol?: string;
}

/** A WebSocket upgrade handler at an exact path relative to the plugin (`/` for its base URL). */
export interface HttpRouterServiceWebSocketHandler {
  path: string;
  /** Owns the handshake (for example with `ws`'s `handleUpgrade`) or closes the socket. */
  handler(context: HttpRouterServiceWebSocketContext): void | Promise<void>;
  /** Credentials are required unless this is `'unauthenticated'`. */
  authPolicy?: 'unauthenticated';
}

/** The plugin's HTTP router, mounted at `/api/<pluginId>`. */
export interface HttpRouterService {
  use(handler: Handler): void;
  addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void;
  addWebSocketHandler?(options: HttpRouterServiceWebSocketHandler): void;
}
