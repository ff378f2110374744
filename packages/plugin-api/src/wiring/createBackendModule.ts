import { assertValidId } from './ids';
import { createRegistrationCollector } from './registration';
import type { BackendFeature, ExtensionPoint, ResolvedDeps, ServiceRef } from './types';

/** What a module's `register` callback can do. */
export interface BackendModuleRegistrationPoints {
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
  registerInit<
    TDeps extends { [name in string]: ServiceRef<unknown> | ExtensionPoint<unknown> },
  >(options: {
    deps: TDeps;
    init(deps: ResolvedDeps<TDeps>): Promise<void> | void;
  }): void;
}

/** Options for {@link createBackendModule}. */
export interface CreateBackendModuleOptions {
  pluginId: string;
  moduleId: string;
  register(reg: BackendModuleRegistrationPoints): void;
}

/**
 * Creates a module that extends the plugin `pluginId`; it initialises before that plugin. Throws
 * `BACKPLANE_INVALID_ID` at once for a `moduleId` Backstage would refuse too (see
 * {@link assertValidId}).
 */
export function createBackendModule(options: CreateBackendModuleOptions): BackendFeature {
  // Like Backstage, only the module id is checked here; the backend checks the plugin id at start.
  assertValidId(
    'moduleId',
    options.moduleId,
    `given to createBackendModule for plugin '${options.pluginId}'`,
  );
  const { pluginId, moduleId, register } = options;

  return {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    getRegistrations() {
      const collector = createRegistrationCollector(`module '${moduleId}' of plugin '${pluginId}'`);
      register(collector.points as BackendModuleRegistrationPoints);
      const init = collector.requireInit();
      return [
        {
          type: 'module-v1.1',
          pluginId,
          moduleId,
          extensionPoints: collector.extensionPoints,
          connections: collector.connections,
          init,
        },
      ];
    },
  } as BackendFeature;
}
