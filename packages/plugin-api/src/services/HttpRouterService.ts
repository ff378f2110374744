import type { Handler } from 'express';
import type { IncomingMessage } from 'node:http';

/** An auth policy that opens a path of the plugin. */
export interface HttpRouterServiceAuthPolicy {
  /** A path relative to the plugin, like `/health` or `/items/:id`. */
  path: string;
  allow: 'unauthenticated' | 'user-cookie';
}

/** A WebSocket handler on a plugin path. */
export interface HttpRouterServiceWebSocketHandler {
  path: string;
  handler(socket: unknown, request: IncomingMessage): void | Promise<void>;
}

/** The plugin's HTTP router, mounted at `/api/<pluginId>`. */
export interface HttpRouterService {
  use(handler: Handler): void;
  addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void;
  addWebSocketHandler?(options: HttpRouterServiceWebSocketHandler): void;
}
