import { createSpecializedBackend } from '@backplane/runtime';
import type { Backend } from '@backplane/runtime';
import { defaultServiceFactories } from './defaultServiceFactories';
import { describeStartupFailure } from './describeStartupFailure';

/** Options for {@link createBackend}. */
export interface CreateBackendOptions {
  /** A stable id for this instance; random when not given. */
  instanceId?: string;
  /**
   * Own the process: stop the backend on SIGTERM/SIGINT and exit, and when `start()` fails, print
   * why, stop what started and exit with code 1. Default `true`; embedders that manage the process
   * themselves pass `false` and handle the rejected `start()` promise.
   */
  handleProcessSignals?: boolean;
}

/**
 * Creates a backend with the default implementation of every core service. Add plugins with
 * `backend.add(import('my-plugin'))`, then call `backend.start()`.
 */
export function createBackend(options: CreateBackendOptions = {}): Backend {
  const ownsProcess = options.handleProcessSignals ?? true;
  const backend = createSpecializedBackend({
    defaultServiceFactories,
    instanceId: options.instanceId,
    handleProcessSignals: ownsProcess,
  });
  if (!ownsProcess) {
    return backend;
  }

  return {
    add: feature => backend.add(feature),
    stop: () => backend.stop(),
    async start() {
      try {
        return await backend.start();
      } catch (error) {
        // The backend owns the process: say what failed in plain words and exit non-zero.
        process.stderr.write(`${describeStartupFailure(error)}\n`);
        await backend.stop().catch(() => undefined);
        process.exit(1);
      }
    },
  };
}
