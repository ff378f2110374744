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

/**
 * Makes the `.mock(partial)` function of a service: every method in `methods` becomes a mock
 * function (see `createMockFn`) that returns `undefined` unless `partial` or `defaults` gives an
 * implementation; non-function values of `partial` are copied as they are.
 *
 * @example
 * ```ts
 * const mockClock = createServiceMock(clockServiceRef, ['now']);
 * const clock = mockClock({ now: () => 42 });
 * clock.now(); // 42, and clock.now.mock.calls has one entry
 * ```
 */
export function createServiceMock<TService>(
  ref: ServiceRef<TService, any, any>,
  methods: ReadonlyArray<keyof TService & string>,
  defaults?: (mock: ServiceMock<TService>) => Partial<TService>,
): (partial?: Partial<TService>) => ServiceMock<TService> {
  return (partial?: Partial<TService>) => {
    const mock: Record<string, unknown> = {};
    const serviceMock = mock as ServiceMock<TService>;
    const implementations: Record<string, unknown> = {
      ...(defaults?.(serviceMock) ?? {}),
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
    mock.factory = createServiceFactory({
      service: ref as ServiceRef<TService, 'plugin'>,
      deps: {},
      factory: () => mock as TService,
    });
    return serviceMock;
  };
}
