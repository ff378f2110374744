import type { Handler } from 'express';

/** The backend's root HTTP router. */
export interface RootHttpRouterService {
  /** Mounts `handler` at `path`; paths of different calls may not overlap. */
  use(path: string, handler: Handler): void;
  addWebSocketHandler?(options: {
    path: string;
    handler(socket: unknown, request: unknown): void;
  }): void;
}
