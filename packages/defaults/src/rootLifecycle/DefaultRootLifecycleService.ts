import type {
  LifecycleServiceHookOptions,
  LifecycleServiceShutdownHook,
  LifecycleServiceStartupHook,
  LoggerService,
  RootLifecycleService,
} from '@backplane/plugin-api';
import { LifecycleHookPhase } from './LifecycleHookPhase';

/**
 * The default `core.rootLifecycle`. The runtime calls {@link DefaultRootLifecycleService.startup}
 * after every plugin started, and {@link DefaultRootLifecycleService.beforeShutdown} then (after
 * the plugins shut down) {@link DefaultRootLifecycleService.shutdown} when the backend stops.
 */
export class DefaultRootLifecycleService implements RootLifecycleService {
  readonly #startup: LifecycleHookPhase;
  readonly #beforeShutdown: LifecycleHookPhase;
  readonly #shutdown: LifecycleHookPhase;

  constructor(logger: LoggerService) {
    this.#startup = new LifecycleHookPhase('Root startup hook failed', logger);
    // Before-shutdown hooks run together: the HTTP server's drain (which may wait for
    // 'backend.lifecycle.serverShutdownDelay') must not hold back the scheduler's stop.
    this.#beforeShutdown = new LifecycleHookPhase(
      'Root before-shutdown hook failed',
      logger,
      'concurrent',
    );
    this.#shutdown = new LifecycleHookPhase('Root shutdown hook failed', logger);
  }

  addStartupHook(hook: LifecycleServiceStartupHook, options?: LifecycleServiceHookOptions): void {
    this.#startup.add(hook, options);
  }

  addBeforeShutdownHook(hook: () => void | Promise<void>, options?: LifecycleServiceHookOptions) {
    this.#beforeShutdown.add(hook, options);
  }

  addShutdownHook(hook: LifecycleServiceShutdownHook, options?: LifecycleServiceHookOptions): void {
    this.#shutdown.add(hook, options);
  }

  /** Runs the startup hooks in order. Called by the runtime; resolves even if hooks fail. */
  startup(): Promise<void> {
    return this.#startup.run();
  }

  /**
   * Runs the before-shutdown hooks in order. Called by the runtime; resolves even if hooks fail.
   */
  beforeShutdown(): Promise<void> {
    return this.#beforeShutdown.run();
  }

  /** Runs the shutdown hooks in order. Called by the runtime; resolves even if hooks fail. */
  shutdown(): Promise<void> {
    return this.#shutdown.run();
  }
}
