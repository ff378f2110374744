/**
 * The Backplane runtime: reads features, checks the wiring, creates services per scope, starts
 * plugins and their modules, and stops everything in order.
 */
export { createSpecializedBackend } from './createSpecializedBackend';
export type { Backend, CreateSpecializedBackendOptions } from './createSpecializedBackend';
export { BackendStartupError } from './errors/BackendStartupError';
export type {
  BackendStartupResult,
  PluginStartupResult,
  ModuleStartupResult,
  StartupFailure,
} from './errors/BackendStartupError';
export { BackendWiringError } from './errors/BackendWiringError';
export type { WiringProblem } from './errors/BackendWiringError';
export { BackplaneError } from './errors/BackplaneError';
export { backplaneErrorCodes } from './errors/errorCodes';
export type { BackplaneErrorCode } from './errors/errorCodes';
export { unwrapFeature } from './features/unwrapFeature';
