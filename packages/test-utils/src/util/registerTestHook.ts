type HookFn = () => Promise<void> | void;

const cleanups = new Set<HookFn>();

/**
 * Runs the cleanups newest first, one at a time, so that a backend using a test database stops
 * before that database is dropped. Every cleanup runs; the first failure is thrown at the end.
 */
async function runCleanups(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  let failure: { error: unknown } | undefined;
  for (const fn of pending) {
    try {
      await fn();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) {
    throw failure.error;
  }
}

// One hook per test file: Jest and Vitest evaluate this module anew for every file, and refuse
// hooks registered inside a test, so the hook is registered when the module is first imported.
const hasGlobalHook = registerGlobalAfterAll(runCleanups);

/**
 * Runs `fn` after the tests of the current file: through the global `afterAll` of Jest and
 * Vitest (globals on), or `after` of `node:test` (after the current test when called inside
 * one). Returns a function that cancels it, for resources released early. Without a runner hook
 * the caller must release the resource itself.
 */
export function registerCleanup(fn: HookFn): () => void {
  if (hasGlobalHook) {
    cleanups.add(fn);
    return () => cleanups.delete(fn);
  }
  let cancelled = false;
  registerNodeTestAfter(() => (cancelled ? undefined : fn()));
  return () => {
    cancelled = true;
  };
}

/** Registers `fn` with the global `afterAll` of Jest or Vitest, if there is one. */
export function registerGlobalAfterAll(fn: HookFn): boolean {
  const globals = globalThis as { afterAll?: (fn: HookFn, timeout?: number) => void };
  if (typeof globals.afterAll !== 'function') {
    return false;
  }
  try {
    globals.afterAll(fn, 60_000);
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers `fn` with `after` of `node:test` when that module is loaded and there is no global
 * `afterAll`. Inside a test it runs after that test, at top level after the file.
 */
export function registerNodeTestAfter(fn: HookFn): boolean {
  if (
    typeof (globalThis as { afterAll?: unknown }).afterAll === 'function' ||
    !isNodeTestLoaded()
  ) {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { after } = require('node:test') as typeof import('node:test');
  after(fn);
  return true;
}

/** True when the test file runs under `node:test` (its runner module has been loaded). */
export function isNodeTestLoaded(): boolean {
  const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList;
  return Array.isArray(loaded) && loaded.some(name => name.includes('internal/test_runner/'));
}
