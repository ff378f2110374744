/**
 * A backend run as a child process by processSignals.test.ts. Prints one line per event.
 * argv[2]: 'ok' (clean stop), 'failing-stop' (a root shutdown step throws), 'rejection'
 * (an unhandled promise rejection after start).
 */
import { coreServices, createBackendPlugin, createServiceFactory } from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { createTestDoubles } from './testDoubles';

const mode = process.argv[2] ?? 'ok';
const print = (line: string) => process.stdout.write(`${line}\n`);
const doubles = createTestDoubles();

const rootLogger = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory: () => {
    const logger: any = {
      error: (message: string, meta?: any) =>
        print(`log error: ${message}: ${meta?.message ?? ''}`),
      warn: (message: string) => print(`log warn: ${message}`),
      info: (message: string, meta?: any) => print(`log info: ${message} ${meta?.signal ?? ''}`),
      debug: () => {},
      child: () => logger,
    };
    return logger;
  },
});

const rootLifecycle = createServiceFactory({
  service: coreServices.rootLifecycle,
  deps: {},
  factory: () =>
    ({
      addStartupHook() {},
      addShutdownHook() {},
      addBeforeShutdownHook() {},
      startup: async () => print('root startup'),
      beforeShutdown: async () => print('root beforeShutdown'),
      shutdown: async () => {
        print('root shutdown');
        if (mode === 'failing-stop') {
          throw new Error('could not close');
        }
      },
    }) as any,
});

const backend = createSpecializedBackend({
  defaultServiceFactories: [rootLogger, doubles.rootConfig, rootLifecycle, doubles.lifecycle],
  handleProcessSignals: true,
});
backend.add(
  createBackendPlugin({
    pluginId: 'example',
    register(reg) {
      reg.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          lifecycle.addShutdownHook(() => void print('example shutdown hook'));
        },
      });
    },
  }),
);

backend.start().then(() => {
  print('started');
  if (mode === 'rejection') {
    void Promise.reject(new Error('nobody caught me'));
    setTimeout(() => print('still running'), 50);
  }
  // Keep the process alive until a signal arrives.
  setInterval(() => {}, 1000);
});
