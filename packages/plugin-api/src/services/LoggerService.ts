import type { JsonObject } from './CacheService';

/** Structured logging: a short message plus fields. */
export interface LoggerService {
  error(message: string, meta?: Error | JsonObject | unknown): void;
  warn(message: string, meta?: Error | JsonObject | unknown): void;
  info(message: string, meta?: Error | JsonObject | unknown): void;
  debug(message: string, meta?: Error | JsonObject | unknown): void;
  child(meta: JsonObject): LoggerService;
}

/** The backend's root logger. */
export interface RootLoggerService extends LoggerService {}
