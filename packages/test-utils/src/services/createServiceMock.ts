import { createServiceFactory } from '@backplane/plugin-api';
import type { ServiceFactory, ServiceRef } from '@backplane/plugin-api';
import { createMockFn, type MockFunction } from '../mockFn/createMockFn';

/**
 * A service whose methods are mock functions, plus `factory`, a service factory that provides
 * this very object, to pass to `startTestBackend` or `ServiceFactoryTester`.
 */
export type ServiceMock<TService> = {
  factory: ServiceFactory<TService>;
} & {
  [K in keyof TService]: TService[K] extends (...args: infer TArgs) => infer TResult
    ? MockFunction<(...args: TArgs) => TResult> & TService[K]
    : TService[K];
};

type MethodNames<TService> = ReadonlyArray<keyof TService & string>;

/**
 * Makes the `.mock(partial)` function of a service. It takes one of two descriptions of the
 * service's methods:
 *
 * - `mockFactory`, as in `@backstage/backend-test-utils`: a function returning a fresh object of
 *   mock functions (`jest.fn()`, `vi.fn()`, `createMockFn()`), called once per mock. Function
 *   values of `partial` become the implementation of the mock function of the same name
 *   (through its `mockImplementation`).
 * - `methods`: the method names. Each becomes a mock function (see `createMockFn`) that returns
 *   `undefined` unless `partial` or `defaults` gives an implementation.
 *
 * Non-function values of `partial` are copied as they are. Infer the service type from `ref`
 * rather than passing a type parameter.
 *
 * @example
 * ```ts
 * const mockClock = createServiceMock(clockServiceRef, () => ({ now: vi.fn() }));
 * const clock = mockClock({ now: () => 42 });
 * clock.now(); // 42, and clock.now.mock.calls has one entry
 * await startTestBackend({ features: [myPlugin, clock.factory] });
 * ```
 */
export function createServiceMock<TService>(
  ref: ServiceRef<TService, any, any>,
  mockFactory: () => NoInfer<TService>,
): (partial?: Partial<TService>) => ServiceMock<TService>;
export function createServiceMock<TService>(
  ref: ServiceRef<TService, any, any>,
  methods: MethodNames<TService>,
  defaults?: (mock: ServiceMock<TService>) => Partial<TService>,
): (partial?: Partial<TService>) => ServiceMock<TService>;
export function createServiceMock<TService>(
  ref: ServiceRef<TService, any, any>,
  methodsOrFactory: MethodNames<TService> | (() => TService),
  defaults?: (mock: ServiceMock<TService>) => Partial<TService>,
): (partial?: Partial<TService>) => ServiceMock<TService> {
  if (typeof methodsOrFactory !== 'function' && !Array.isArray(methodsOrFactory)) {
    throw new TypeError(
      `createServiceMock of '${ref?.id}': the second argument must be a function returning the ` +
        `mock object, like () => ({ hello: vi.fn() }), or an array of method names; got ` +
        `${describeValue(methodsOrFactory)}`,
    );
  }
  const build =
    typeof methodsOrFactory === 'function'
      ? (partial?: Partial<TService>) => fromFactory(ref, methodsOrFactory, partial)
      : (partial?: Partial<TService>) => fromMethodNames(methodsOrFactory, defaults, partial);

  return (partial?: Partial<TService>) => {
    const mock = build(partial);
    mock.factory = createServiceFactory({
      service: ref as ServiceRef<TService, 'plugin'>,
      deps: {},
      factory: () => mock as TService,
    });
    return mock as ServiceMock<TService>;
  };
}

function fromFactory<TService>(
  ref: ServiceRef<TService, any, any>,
  mockFactory: () => TService,
  partial: Partial<TService> | undefined,
): Record<string, unknown> {
  const mock = mockFactory() as Record<string, unknown>;
  if (typeof mock !== 'object' || mock === null) {
    throw new TypeError(
      `createServiceMock of '${ref.id}': the mock factory must return an object of mock ` +
        `functions, like { hello: vi.fn() }; it returned ${describeValue(mock)}`,
    );
  }
  for (const [key, value] of Object.entries(partial ?? {})) {
    const current = mock[key] as Partial<MockFunction> | undefined;
    if (typeof value !== 'function') {
      mock[key] = value;
    } else if (typeof current?.mockImplementation === 'function') {
      current.mockImplementation(value as (...args: any[]) => any);
    } else {
      // The factory left this method out: it still becomes a mock function.
      mock[key] = createMockFn(value as (...args: any[]) => any);
    }
  }
  return mock;
}

function fromMethodNames<TService>(
  methods: MethodNames<TService>,
  defaults: ((mock: ServiceMock<TService>) => Partial<TService>) | undefined,
  partial: Partial<TService> | undefined,
): Record<string, unknown> {
  const mock: Record<string, unknown> = {};
  const implementations: Record<string, unknown> = {
    ...(defaults?.(mock as ServiceMock<TService>) ?? {}),
    ...(partial ?? {}),
  };
  for (const method of methods) {
    const impl = implementations[method];
    mock[method] = createMockFn(typeof impl === 'function' ? (impl as any) : undefined);
  }
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (typeof value !== 'function') {
      mock[key] = value;
    } else if (!methods.includes(key as keyof TService & string)) {
      mock[key] = createMockFn(value as any);
    }
  }
  return mock;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
