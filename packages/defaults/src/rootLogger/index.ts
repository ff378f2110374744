export { rootLoggerServiceFactory, createRootLogger } from './rootLoggerServiceFactory';
export type {
  RootLoggerFactoryOptions,
  RootLoggerServiceFactory,
} from './rootLoggerServiceFactory';
export { PinoLogger, isLogLevel } from './PinoLogger';
export type {
  LogDestination,
  LogFormat,
  LogLevel,
  LogLevelOverride,
  PinoLoggerOptions,
} from './PinoLogger';
export { createRedactor } from './createRedactor';
export type { Redactor } from './createRedactor';
export { serializeError } from './serializeError';
