import type {
  LifecycleService,
  LifecycleServiceHookOptions,
  LifecycleServiceShutdownHook,
  LifecycleServiceStartupHook,
  LoggerService,
} from '@backplane/plugin-api';
import { LifecycleHookPhase } from '../rootLifecycle/LifecycleHookPhase';

/**
 * The default `core.lifecycle` of one plugin. The runtime calls
 * {@link DefaultLifecycleService.startup} once the plugin's init finished and
 * {@link DefaultLifecycleService.shutdown} when the backend stops.
 */
export class DefaultLifecycleService implements LifecycleService {
  readonly #startup: LifecycleHookPhase;
  readonly #shutdown: LifecycleHookPhase;

  /** @param logger - the plugin's logger, used for hooks added without their own */
  constructor(logger: LoggerService) {
    this.#startup = new LifecycleHookPhase('Plugin startup hook failed', logger);
    this.#shutdown = new LifecycleHookPhase('Plugin shutdown hook failed', logger);
  }

  addStartupHook(hook: LifecycleServiceStartupHook, options?: LifecycleServiceHookOptions): void {
    this.#startup.add(hook, options);
  }

  addShutdownHook(hook: LifecycleServiceShutdownHook, options?: LifecycleServiceHookOptions): void {
    this.#shutdown.add(hook, options);
  }

  /** Runs the startup hooks in order. Called by the runtime; resolves even if hooks fail. */
  startup(): Promise<void> {
    return this.#startup.run();
  }

  /** Runs the shutdown hooks in order. Called by the runtime; resolves even if hooks fail. */
  shutdown(): Promise<void> {
    return this.#shutdown.run();
  }
}
