import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { BackendFeature } from '@backplane/plugin-api';

/** One log call recorded by the test root logger. */
export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: unknown;
  fields: Record<string, unknown>;
}

type Hook = () => void | Promise<void>;

async function runHooks(hooks: Hook[], events: string[], label: string) {
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      events.push(`${label} hook failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Tiny service doubles that implement the runtime's internal lifecycle protocol. `events`
 * records lifecycle steps in order; `logs` records root logger calls.
 */
export function createTestDoubles(config: Record<string, unknown> = {}) {
  const events: string[] = [];
  const logs: LogEntry[] = [];

  const makeLogger = (fields: Record<string, unknown>): any => {
    const log = (level: LogEntry['level']) => (message: string, meta?: unknown) =>
      logs.push({ level, message, meta, fields });
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (meta: Record<string, unknown>) => makeLogger({ ...fields, ...meta }),
    };
  };

  const rootLogger = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => makeLogger({}),
  });

  const rootConfig = createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () =>
      ({
        getOptionalString(key: string) {
          let node: any = config;
          for (const part of key.split('.')) {
            node = node?.[part];
          }
          if (node !== undefined && typeof node !== 'string') {
            throw new Error(`Invalid type in config for key '${key}', wanted string`);
          }
          return node;
        },
      }) as any,
  });

  const rootLifecycle = createServiceFactory({
    service: coreServices.rootLifecycle,
    deps: {},
    factory: () => {
      const startup: Hook[] = [];
      const before: Hook[] = [];
      const shutdown: Hook[] = [];
      return {
        addStartupHook: (hook: Hook) => void startup.push(hook),
        addBeforeShutdownHook: (hook: Hook) => void before.push(hook),
        addShutdownHook: (hook: Hook) => void shutdown.push(hook),
        async startup() {
          events.push('root:startup');
          await runHooks(startup, events, 'root startup');
        },
        async beforeShutdown() {
          events.push('root:beforeShutdown');
          await runHooks(before, events, 'root beforeShutdown');
        },
        async shutdown() {
          events.push('root:shutdown');
          await runHooks(shutdown, events, 'root shutdown');
        },
      } as any;
    },
  });

  const lifecycle = createServiceFactory({
    service: coreServices.lifecycle,
    deps: { metadata: coreServices.pluginMetadata },
    factory: ({ metadata }) => {
      const id = metadata.getId();
      const startup: Hook[] = [];
      const shutdown: Hook[] = [];
      return {
        addStartupHook: (hook: Hook) => void startup.push(hook),
        addShutdownHook: (hook: Hook) => void shutdown.push(hook),
        async startup() {
          events.push(`${id}:startup`);
          await runHooks(startup, events, `${id} startup`);
        },
        async shutdown() {
          events.push(`${id}:shutdown`);
          await runHooks(shutdown, events, `${id} shutdown`);
        },
      } as any;
    },
  });

  const factories: BackendFeature[] = [rootLogger, rootConfig, rootLifecycle, lifecycle];
  return { events, logs, factories, rootLogger, rootConfig, rootLifecycle, lifecycle };
}

/** Waits for the start to fail and returns the error. */
export async function startError(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected start() to fail, but it succeeded');
}
