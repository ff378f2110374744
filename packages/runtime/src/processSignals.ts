import type { LoggerService } from '@backplane/plugin-api';

/** A backend that wants the process signals handled for it. */
export interface SignalTarget {
  stop(): Promise<void>;
  /** The backend's root logger, once created. */
  logger(): LoggerService | undefined;
  /** The ids of the plugins whose init has not finished yet. */
  startingPlugins?(): string[];
}

/**
 * A signal repeated sooner than this after the first is the same request delivered twice: Ctrl-C
 * in a terminal reaches every process of the group, so a backend run under a watcher that also
 * forwards the signal gets two at once.
 */
const REPEATED_SIGNAL_MS = 1000;

const targets = new Set<SignalTarget>();
/** When the first signal arrived; undefined until one did. */
let firstSignalAt: number | undefined;

/**
 * On SIGTERM or SIGINT: stops every registered backend once, then exits with 0, or 1 when a
 * stop failed. Another signal within a second of the first is ignored; one later than that exits
 * at once with 1, for a stop that hangs (a plugin init or shutdown hook that never finishes).
 * Unhandled promise rejections are logged on the backends' root loggers (and crash the process as
 * usual when none has one).
 */
export function registerProcessSignals(target: SignalTarget): () => void {
  if (targets.size === 0) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('unhandledRejection', onUnhandledRejection);
  }
  targets.add(target);
  return () => {
    targets.delete(target);
    // While a signal is stopping the backends, the listeners stay: without them a second
    // signal arriving before process.exit would kill the process with the default action.
    if (targets.size === 0 && firstSignalAt === undefined) {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.off('unhandledRejection', onUnhandledRejection);
    }
  };
}

function onSignal(signal: NodeJS.Signals) {
  if (firstSignalAt !== undefined) {
    if (Date.now() - firstSignalAt >= REPEATED_SIGNAL_MS) {
      exitWithoutWaiting(signal);
    }
    return;
  }
  firstSignalAt = Date.now();
  const current = [...targets];
  for (const target of current) {
    target.logger()?.info('Received signal; stopping the backend', { signal });
  }
  Promise.all(
    current.map(target =>
      target.stop().then(
        () => true,
        error => {
          target.logger()?.error('Backend stop failed', error);
          return false;
        },
      ),
    ),
  ).then(outcomes => process.exit(outcomes.every(Boolean) ? 0 : 1));
}

function exitWithoutWaiting(signal: NodeJS.Signals) {
  for (const target of targets) {
    const starting = target.startingPlugins?.() ?? [];
    target.logger()?.error('Received a second signal while stopping; exiting without waiting', {
      signal,
      ...(starting.length > 0
        ? {
            startingPlugins: starting.join(', '),
            fix: 'make the init of these plugins finish or fail in bounded time',
          }
        : { fix: 'make every shutdown hook finish in bounded time' }),
    });
  }
  process.exit(1);
}

const UNHANDLED_REJECTION_FIX =
  'await the promise or add a .catch() where it is made (the stack shows where). One from an ' +
  'async route handler on an Express 4 router also left its request without a response: use ' +
  'express-promise-router or call next(error) (see docs/services/http.md).';

function onUnhandledRejection(reason: unknown) {
  const loggers = [...targets].flatMap(target => target.logger() ?? []);
  if (loggers.length === 0) {
    throw reason;
  }
  const meta = reason instanceof Error ? reason : { reason: String(reason) };
  for (const logger of loggers) {
    logger.child({ fix: UNHANDLED_REJECTION_FIX }).error('Unhandled promise rejection', meta);
  }
}
