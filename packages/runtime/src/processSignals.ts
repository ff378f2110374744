import type { LoggerService } from '@backplane/plugin-api';

/** A backend that wants the process signals handled for it. */
export interface SignalTarget {
  stop(): Promise<void>;
  /** The backend's root logger, once created. */
  logger(): LoggerService | undefined;
}

const targets = new Set<SignalTarget>();
let stopping = false;

/**
 * On SIGTERM or SIGINT: stops every registered backend once, then exits with 0, or 1 when a
 * stop failed. A second signal while stopping is ignored. Unhandled promise rejections are
 * logged on the backends' root loggers (and crash the process as usual when none has one).
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
    if (targets.size === 0 && !stopping) {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.off('unhandledRejection', onUnhandledRejection);
    }
  };
}

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    return;
  }
  stopping = true;
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

function onUnhandledRejection(reason: unknown) {
  const loggers = [...targets].flatMap(target => target.logger() ?? []);
  if (loggers.length === 0) {
    throw reason;
  }
  const meta = reason instanceof Error ? reason : { reason: String(reason) };
  for (const logger of loggers) {
    logger.error('Unhandled promise rejection', meta);
  }
}
