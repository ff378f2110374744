import { isNodeTestLoaded } from '../util/registerTestHook';

type Hook = (fn: () => unknown) => unknown;

/** The part of an msw `setupServer()` (or `setupWorker()`) result that the hooks use. */
export interface MswTestWorker {
  listen: (options: any) => void;
  close: () => void;
  resetHandlers: () => void;
}

/** The runner's hook functions, for runners without global ones (Vitest with globals off). */
export interface MswTestHooks {
  beforeAll: Hook;
  afterEach: Hook;
  afterAll: Hook;
}

/**
 * Wires an msw server into the test runner: `listen({ onUnhandledRequest: 'error' })` before the
 * tests, `resetHandlers()` after each test and `close()` after all of them, so a request that no
 * handler matches fails the test. Call it at the top of a test file or inside a `describe`.
 *
 * The hooks are the global `beforeAll`/`afterEach`/`afterAll` of Jest and Vitest (globals on), or
 * `before`/`afterEach`/`after` of `node:test`. With Vitest globals off, pass Vitest's:
 * `registerMswTestHooks(server, { beforeAll, afterEach, afterAll })`.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * const server = setupServer();
 * registerMswTestHooks(server);
 * it('should call the catalog', async () => {
 *   server.use(http.get('https://catalog.example.com/entities', () => HttpResponse.json([])));
 *   // …
 * });
 * ```
 */
export function registerMswTestHooks(worker: MswTestWorker, hooks?: MswTestHooks): void {
  const { beforeAll, afterEach, afterAll } = hooks ?? findRunnerHooks();
  beforeAll(() => worker.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => worker.resetHandlers());
  afterAll(() => worker.close());
}

function findRunnerHooks(): MswTestHooks {
  const globals = globalThis as Partial<MswTestHooks>;
  if (
    typeof globals.beforeAll === 'function' &&
    typeof globals.afterEach === 'function' &&
    typeof globals.afterAll === 'function'
  ) {
    return {
      beforeAll: globals.beforeAll,
      afterEach: globals.afterEach,
      afterAll: globals.afterAll,
    };
  }
  if (isNodeTestLoaded()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { before, afterEach, after } = require('node:test') as typeof import('node:test');
    return { beforeAll: before, afterEach, afterAll: after };
  }
  throw new Error(
    'registerMswTestHooks found no test hooks: there is no global beforeAll/afterEach/afterAll ' +
      'and the file does not run under node:test. Turn on Vitest globals (test.globals: true), ' +
      'or pass the hooks: registerMswTestHooks(server, { beforeAll, afterEach, afterAll }) ' +
      "from 'vitest'.",
  );
}
