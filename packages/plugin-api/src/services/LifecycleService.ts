import type { LoggerService } from './LoggerService';

/** A startup or shutdown hook. */
export type LifecycleServiceStartupHook = () => void | Promise<void>;
export type LifecycleServiceShutdownHook = () => void | Promise<void>;

/** Options for a hook. */
export interface LifecycleServiceHookOptions {
  /** The logger errors of this hook are reported on. */
  logger?: LoggerService;
}

/** Hooks that run when the plugin has started and when the backend stops. */
export interface LifecycleService {
  addStartupHook(hook: LifecycleServiceStartupHook, options?: LifecycleServiceHookOptions): void;
  addShutdownHook(hook: LifecycleServiceShutdownHook, options?: LifecycleServiceHookOptions): void;
}

/** Hooks that run when the whole backend has started and when it stops. */
export interface RootLifecycleService extends LifecycleService {
  /** Runs first when the backend stops, before any plugin shutdown hook. */
  addBeforeShutdownHook(
    hook: () => void | Promise<void>,
    options?: LifecycleServiceHookOptions,
  ): void;
}
