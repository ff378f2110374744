import type { JsonObject, LoggerService, RootLifecycleService } from '@backplane/plugin-api';

/** One call to a {@link TestLogger}. */
export interface LoggedMessage {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
}

/** A logger that records what it is given, children included. */
export interface TestLogger extends LoggerService {
  messages: LoggedMessage[];
}

export function createTestLogger(messages: LoggedMessage[] = []): TestLogger {
  const log = (level: LoggedMessage['level']) => (message: string, meta?: unknown) => {
    messages.push({ level, message, meta });
  };
  return {
    messages,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: (_meta: JsonObject) => createTestLogger(messages),
  };
}

/** A root lifecycle whose shutdown hooks the test runs by hand. */
export interface TestRootLifecycle extends RootLifecycleService {
  shutdown(): Promise<void>;
}

export function createTestRootLifecycle(): TestRootLifecycle {
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  return {
    addStartupHook() {},
    addBeforeShutdownHook() {},
    addShutdownHook(hook) {
      shutdownHooks.push(hook);
    },
    async shutdown() {
      for (const hook of shutdownHooks.splice(0)) {
        await hook();
      }
    },
  };
}

/** The runtime-facing fields of a plugin-scoped service factory. */
export interface PluginFactoryInternals<TService, TContext> {
  createRootContext(deps: Record<string, unknown>): Promise<TContext>;
  factory(deps: Record<string, unknown>, context: TContext): Promise<TService>;
}
