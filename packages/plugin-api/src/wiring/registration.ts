import type { ExtensionPoint, ExtensionPointFactoryContext } from './types';

/** One extension point registration, in the current (`v1.1`) form. */
export interface ExtensionPointRegistration {
  extensionPoint: ExtensionPoint<unknown>;
  factory(context: ExtensionPointFactoryContext): unknown;
}

/** A connection a plugin or module declares (alpha). */
export interface ConnectionRegistration {
  type: string;
  required?: boolean;
  description?: string;
}

/** The init of a plugin or module: its deps and the function to run. */
export interface InitRegistration {
  deps: Record<string, { id: string; $$type: string }>;
  func(deps: Record<string, unknown>): Promise<void> | void;
}

/** Collects what a `register` callback declares. */
export function createRegistrationCollector(owner: string) {
  const extensionPoints: ExtensionPointRegistration[] = [];
  const connections: ConnectionRegistration[] = [];
  let init: InitRegistration | undefined;

  const assertOpen = (what: string) => {
    if (init) {
      throw new Error(`${owner}: ${what} must be called before registerInit.`);
    }
  };

  const points = {
    registerExtensionPoint(refOrOptions: any, impl?: unknown) {
      assertOpen('registerExtensionPoint');
      if (refOrOptions?.$$type === '@backstage/ExtensionPoint') {
        extensionPoints.push({ extensionPoint: refOrOptions, factory: () => impl });
        return;
      }
      const { extensionPoint, factory } = refOrOptions ?? {};
      if (extensionPoint?.$$type !== '@backstage/ExtensionPoint' || typeof factory !== 'function') {
        throw new TypeError(
          `${owner}: registerExtensionPoint takes (ref, impl) or { extensionPoint, factory }.`,
        );
      }
      extensionPoints.push({ extensionPoint, factory });
    },
    registerConnection(connection: ConnectionRegistration) {
      assertOpen('registerConnection');
      connections.push(connection);
    },
    registerInit(options: { deps: InitRegistration['deps']; init: InitRegistration['func'] }) {
      if (init) {
        throw new Error(`${owner}: registerInit may only be called once.`);
      }
      if (typeof options?.init !== 'function') {
        throw new TypeError(`${owner}: registerInit needs an "init" function.`);
      }
      init = { deps: options.deps ?? {}, func: options.init };
    },
  };

  return {
    points,
    extensionPoints,
    connections,
    requireInit(): InitRegistration {
      if (!init) {
        throw new Error(`${owner} did not call registerInit in its register function; add one.`);
      }
      return init;
    },
  };
}
