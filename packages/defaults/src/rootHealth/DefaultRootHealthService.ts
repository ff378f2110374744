import type { RootHealthService, RootLifecycleService } from '@backplane/plugin-api';

/** A health check result: the HTTP status and JSON body the health endpoints send. */
export interface HealthCheckResult {
  status: number;
  payload?: unknown;
}

type State = 'starting' | 'up' | 'stopping';

const READINESS: Record<State, HealthCheckResult> = {
  starting: { status: 503, payload: { message: 'Backend has not started yet', status: 'error' } },
  up: { status: 200, payload: { status: 'ok' } },
  stopping: { status: 503, payload: { message: 'Backend is shutting down', status: 'error' } },
};

/**
 * The default `core.rootHealth`. Liveness is always 200. Readiness is 503 until the root startup
 * hooks ran, 200 while the backend runs, and 503 again from the first before-shutdown hook on, so a
 * load balancer stops sending traffic before the server drains.
 */
export class DefaultRootHealthService implements RootHealthService {
  #state: State = 'starting';

  constructor(options: { lifecycle: RootLifecycleService }) {
    const { lifecycle } = options;
    lifecycle.addStartupHook(() => {
      // Hooks added while startup runs go to the end of the queue, so readiness turns on only
      // after every other startup hook; a lifecycle that refuses late hooks turns it on now.
      try {
        lifecycle.addStartupHook(() => this.#markUp());
      } catch {
        this.#markUp();
      }
    });
    lifecycle.addBeforeShutdownHook(() => {
      this.#state = 'stopping';
    });
  }

  async getLiveness(): Promise<HealthCheckResult> {
    return { status: 200, payload: { status: 'ok' } };
  }

  async getReadiness(): Promise<HealthCheckResult> {
    const result = READINESS[this.#state];
    return { status: result.status, payload: { ...(result.payload as object) } };
  }

  #markUp(): void {
    if (this.#state === 'starting') this.#state = 'up';
  }
}
