import type { ExtensionPoint } from './types';

/** Creates an extension point ref that a plugin registers and its modules depend on. */
export function createExtensionPoint<T>(options: { id: string }): ExtensionPoint<T> {
  const { id } = options;
  if (typeof id !== 'string' || id.length === 0) {
    throw new TypeError('createExtensionPoint: "id" must be a non-empty string.');
  }
  return {
    $$type: '@backstage/ExtensionPoint',
    id,
    T: null as T,
    toString() {
      return `extensionPoint{${id}}`;
    },
  };
}
