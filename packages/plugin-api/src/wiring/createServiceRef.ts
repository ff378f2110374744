import type { ServiceFactory, ServiceRef, ServiceScope } from './types';

/** Options for {@link createServiceRef}. */
export interface ServiceRefOptions<
  TService,
  TScope extends ServiceScope,
  TInstances extends 'singleton' | 'multiton',
> {
  id: string;
  scope?: TScope;
  multiton?: TInstances extends 'multiton' ? true : false;
  /** Called when no factory for this ref was added to the backend. */
  defaultFactory?(
    service: ServiceRef<TService, TScope, TInstances>,
  ): Promise<ServiceFactory | (() => ServiceFactory)>;
}

/**
 * Creates a service ref. Refs are matched by `id`, so two copies of the same ref created by
 * different copies of a library are the same service.
 */
export function createServiceRef<TService>(
  options: ServiceRefOptions<TService, 'plugin', 'singleton'>,
): ServiceRef<TService, 'plugin', 'singleton'>;
export function createServiceRef<TService>(
  options: ServiceRefOptions<TService, 'root', 'singleton'>,
): ServiceRef<TService, 'root', 'singleton'>;
export function createServiceRef<TService>(
  options: ServiceRefOptions<TService, 'plugin', 'multiton'>,
): ServiceRef<TService, 'plugin', 'multiton'>;
export function createServiceRef<TService>(
  options: ServiceRefOptions<TService, 'root', 'multiton'>,
): ServiceRef<TService, 'root', 'multiton'>;
export function createServiceRef(
  options: ServiceRefOptions<unknown, ServiceScope, 'singleton' | 'multiton'>,
): ServiceRef<unknown> {
  const { id, scope = 'plugin', multiton = false, defaultFactory } = options;
  if (typeof id !== 'string' || id.length === 0) {
    throw new TypeError('createServiceRef: "id" must be a non-empty string.');
  }
  return {
    $$type: '@backstage/ServiceRef',
    id,
    scope,
    multiton,
    T: null as unknown,
    toString() {
      return `serviceRef{${id}}`;
    },
    toJSON() {
      return { $$type: '@backstage/ServiceRef', id, scope, multiton };
    },
    __defaultFactory: defaultFactory,
  } as ServiceRef<unknown>;
}
