import { assertValidId } from './ids';
import { createRegistrationCollector } from './registration';
import type { BackendFeature, DepsRecord, ExtensionPoint, ResolvedDeps, ServiceRef } from './types';

/** What a plugin's `register` callback can do. */
export interface BackendPluginRegistrationPoints {
  registerExtensionPoint<TExtensionPoint>(
    ref: ExtensionPoint<TExtensionPoint>,
    impl: TExtensionPoint,
  ): void;
  registerExtensionPoint<TExtensionPoint>(options: {
    extensionPoint: ExtensionPoint<TExtensionPoint>;
    factory(context: {
      reportModuleStartupFailure(options: { error: Error }): void;
    }): TExtensionPoint;
  }): void;
  registerInit<TDeps extends { [name in string]: ServiceRef<unknown> }>(options: {
    deps: TDeps;
    init(deps: ResolvedDeps<TDeps>): Promise<void> | void;
  }): void;
}

/** Options for {@link createBackendPlugin}. */
export interface CreateBackendPluginOptions {
  pluginId: string;
  register(reg: BackendPluginRegistrationPoints): void;
}

/**
 * Creates a backend plugin feature, mounted by the backend at `/api/<pluginId>`. Throws
 * `BACKPLANE_INVALID_ID` at once for a `pluginId` Backstage would refuse too (see
 * {@link assertValidId}).
 */
export function createBackendPlugin(options: CreateBackendPluginOptions): BackendFeature {
  assertValidId('pluginId', options.pluginId, 'given to createBackendPlugin');
  const { pluginId, register } = options;

  return {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    getRegistrations() {
      const collector = createRegistrationCollector(`plugin '${pluginId}'`);
      register(collector.points as BackendPluginRegistrationPoints);
      const init = collector.requireInit();
      return [
        {
          type: 'plugin-v1.1',
          pluginId,
          extensionPoints: collector.extensionPoints,
          connections: collector.connections,
          init,
        },
      ];
    },
  } as BackendFeature;
}

export type { DepsRecord };
