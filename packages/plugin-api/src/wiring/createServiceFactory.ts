import type { ResolvedDeps, ServiceFactory, ServiceRef } from './types';

type RootDeps = { [name in string]: ServiceRef<unknown, 'root'> };
type AnyDeps = { [name in string]: ServiceRef<unknown> };

/** Options for a root-scoped service factory. */
export interface RootServiceFactoryOptions<
  TService,
  TInstances extends 'singleton' | 'multiton',
  TImpl extends TService,
  TDeps extends RootDeps,
> {
  service: ServiceRef<TService, 'root', TInstances>;
  initialization?: 'always' | 'lazy';
  deps: TDeps;
  factory(deps: ResolvedDeps<TDeps>): TImpl | Promise<TImpl>;
}

/** Options for a plugin-scoped service factory. */
export interface PluginServiceFactoryOptions<
  TService,
  TInstances extends 'singleton' | 'multiton',
  TContext,
  TImpl extends TService,
  TDeps extends AnyDeps,
> {
  service: ServiceRef<TService, 'plugin', TInstances>;
  initialization?: 'always' | 'lazy';
  deps: TDeps;
  /** Runs once per backend; its result is passed to every call of `factory`. */
  createRootContext?(
    deps: ResolvedDeps<{
      [K in keyof TDeps as TDeps[K]['scope'] extends 'root' ? K : never]: TDeps[K];
    }>,
  ): TContext | Promise<TContext>;
  factory(deps: ResolvedDeps<TDeps>, context: TContext): TImpl | Promise<TImpl>;
}

/** Creates a service factory feature for a service ref. */
export function createServiceFactory<
  TService,
  TInstances extends 'singleton' | 'multiton',
  TImpl extends TService,
  TDeps extends RootDeps,
>(
  options: RootServiceFactoryOptions<TService, TInstances, TImpl, TDeps>,
): ServiceFactory<TService, 'root', TInstances>;
export function createServiceFactory<
  TService,
  TInstances extends 'singleton' | 'multiton',
  TImpl extends TService,
  TDeps extends AnyDeps,
  TContext = undefined,
>(
  options: PluginServiceFactoryOptions<TService, TInstances, TContext, TImpl, TDeps>,
): ServiceFactory<TService, 'plugin', TInstances>;
export function createServiceFactory(options: {
  service: ServiceRef<unknown>;
  initialization?: 'always' | 'lazy';
  deps: AnyDeps;
  createRootContext?(deps: unknown): unknown;
  factory(deps: unknown, context?: unknown): unknown;
}): ServiceFactory {
  const { service, initialization, deps, factory, createRootContext } = options;
  if (!service || service.$$type !== '@backstage/ServiceRef') {
    throw new TypeError(
      'createServiceFactory: "service" must be a service ref made by createServiceRef.',
    );
  }
  if (initialization !== undefined && initialization !== 'always' && initialization !== 'lazy') {
    throw new TypeError(
      `createServiceFactory for '${service.id}': "initialization" must be 'always' or 'lazy', got '${String(initialization)}'.`,
    );
  }
  const result: Record<string, unknown> = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'service',
    service,
    initialization,
    deps: deps ?? {},
    factory: async (resolved: unknown, context?: unknown) => factory(resolved, context),
  };
  if (service.scope === 'plugin' && createRootContext) {
    result.createRootContext = async (resolved: unknown) => createRootContext(resolved);
  }
  return result as unknown as ServiceFactory;
}
