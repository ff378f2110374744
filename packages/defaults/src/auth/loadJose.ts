/** The `jose` module. */
export type Jose = typeof import('jose');

let pending: Promise<Jose> | undefined;

/**
 * Loads `jose` on first use and returns the same module afterwards. Loading it costs tens of
 * milliseconds, and a backend that only sees static external access tokens never needs it, so
 * nothing in the auth and user info services imports it at module load. A plain `require` (not
 * `import()`) keeps this working in CommonJS test runners such as Jest.
 */
export function loadJose(): Promise<Jose> {
  return (pending ??= Promise.resolve().then(() => require('jose') as typeof import('jose')));
}
