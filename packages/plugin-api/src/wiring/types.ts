/**
 * The shapes that travel between plugins and the runtime. Their runtime form is the wire format
 * shared with `@backstage/backend-plugin-api`, so features made by either library load into the other.
 */

/** Where a service lives: once per backend (`root`) or once per plugin (`plugin`). */
export type ServiceScope = 'root' | 'plugin';

/** A typed handle for a service, matched by its `id` string. */
export interface ServiceRef<
  TService,
  TScope extends ServiceScope = ServiceScope,
  TInstances extends 'singleton' | 'multiton' = 'singleton' | 'multiton',
> {
  readonly $$type: '@backstage/ServiceRef';
  readonly id: string;
  readonly scope: TScope;
  readonly multiton?: boolean;
  /** Type carrier only; always `null` at run time. */
  readonly T: TService;
  /** @internal */
  readonly __instances?: TInstances;
  toString(): string;
}

/** A feature that can be passed to `backend.add()`. */
export interface BackendFeature {
  readonly $$type: '@backstage/BackendFeature';
}

/** A typed handle for an extension point. */
export interface ExtensionPoint<T> {
  readonly $$type: '@backstage/ExtensionPoint';
  readonly id: string;
  /** Type carrier only; always `null` at run time. */
  readonly T: T;
  toString(): string;
}

/** A service factory: a feature that provides one service. */
export interface ServiceFactory<
  TService = unknown,
  TScope extends ServiceScope = ServiceScope,
  TInstances extends 'singleton' | 'multiton' = 'singleton' | 'multiton',
> extends BackendFeature {
  readonly service: ServiceRef<TService, TScope, TInstances>;
}

/** The dependencies of an init or factory, as a record of refs. */
export type DepsRecord = { [name in string]: ServiceRef<unknown> | ExtensionPoint<unknown> };

/** The resolved form of a deps record. */
export type ResolvedDeps<T> = {
  [K in keyof T]: T[K] extends ServiceRef<infer S, any, 'multiton'>
    ? S[]
    : T[K] extends ServiceRef<infer S, any, any>
      ? S
      : T[K] extends ExtensionPoint<infer E>
        ? E
        : never;
};

/** The context handed to an extension point's factory. */
export interface ExtensionPointFactoryContext {
  reportModuleStartupFailure(options: { error: Error }): void;
}
