/**
 * A backend run as a child process by processSignals.test.ts. Prints one line per event.
 * argv[2]: 'ok' (clean stop), 'failing-stop' (a root shutdown step throws), 'rejection'
 * (an unhandled promise rejection after start), 'stuck-init' (a plugin whose init never ends).
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
    const makeLogger = (fields: any = {}): any => ({
      error: (message: string, meta?: any) =>
        print(
          `log error: ${message}: ${meta?.message ?? meta?.startingPlugins ?? ''}` +
            (fields.fix ? ` (fix: ${fields.fix})` : ''),
        ),
      warn: (message: string, meta?: any) => print(`log warn: ${message} ${meta?.plugins ?? ''}`),
      info: (message: string, meta?: any) => print(`log info: ${message} ${meta?.signal ?? ''}`),
      debug: () => {},
      child: (more: any) => makeLogger({ ...fields, ...more }),
    });
    return makeLogger();
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

if (mode === 'stuck-init') {
  backend.add(
    createBackendPlugin({
      pluginId: 'stuck',
      register(reg) {
        reg.registerInit({
          deps: {},
          init: () => {
            print('stuck init began');
            return new Promise<void>(() => {});
          },
        });
      },
    }),
  );
  // The pending init alone would not keep the process alive.
  setInterval(() => {}, 1000);
}

backend.start().then(() => {
  print('started');
  if (mode === 'rejection') {
    void Promise.reject(new Error('nobody caught me'));
    setTimeout(() => print('still running'), 50);
  }
  // Keep the process alive until a signal arrives.
  setInterval(() => {}, 1000);
});
