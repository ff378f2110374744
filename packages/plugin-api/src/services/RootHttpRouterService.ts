import type { Handler } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A WebSocket upgrade handler at an exact absolute path; it does its own authentication. */
export interface RootHttpRouterServiceWebSocketHandler {
  path: string;
  handler(context: {
    request: IncomingMessage;
    socket: Duplex;
    head: Buffer;
  }): void | Promise<void>;
}

/** The backend's root HTTP router. */
export interface RootHttpRouterService {
  /** Mounts `handler` at `path`; paths of different calls may not overlap. */
  use(path: string, handler: Handler): void;
  addWebSocketHandler?(options: RootHttpRouterServiceWebSocketHandler): void;
}
