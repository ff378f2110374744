import { createServiceFactory } from '@backplane/plugin-api';
import type { ServiceFactory } from '@backplane/plugin-api';
import { tracingServiceRef } from '@backplane/plugin-api/alpha';
import type {
  TracingService,
  TracingServiceAttributeValue,
  TracingServiceBaggage,
  TracingServiceContext,
  TracingServiceSpan,
  TracingServiceSpanStatus,
} from '@backplane/plugin-api/alpha';
import { tracingServiceFactory } from '@backplane/defaults/alpha';
import { createMockFn, type MockFunction } from '../mockFn/createMockFn';

/** A span handed out by {@link TracingServiceMock}; its methods are mock functions. */
export interface MockedTracingServiceSpan extends TracingServiceSpan {
  setAttribute: MockFunction<(key: string, value: TracingServiceAttributeValue) => void> &
    TracingServiceSpan['setAttribute'];
  setStatus: MockFunction<(status: TracingServiceSpanStatus) => void> &
    TracingServiceSpan['setStatus'];
}

type Mocked<T extends (...args: any[]) => any> = MockFunction<T> & T;
type ContextAPI = TracingService['context'];
type PropagationAPI = TracingService['propagation'];

/** The `context` of {@link TracingServiceMock}, with mock functions. */
export interface MockedTracingServiceContextAPI extends ContextAPI {
  active: Mocked<ContextAPI['active']>;
  with: Mocked<ContextAPI['with']>;
}

/** The `propagation` of {@link TracingServiceMock}, with mock functions. */
export interface MockedTracingServicePropagationAPI extends PropagationAPI {
  extract: Mocked<PropagationAPI['extract']>;
  getBaggage: Mocked<PropagationAPI['getBaggage']>;
  getActiveBaggage: Mocked<PropagationAPI['getActiveBaggage']>;
}

/**
 * A tracing service whose methods are mock functions. `startActiveSpan` runs its function with a
 * new {@link MockedTracingServiceSpan}, kept in `spans`. `propagation.extract` reads the W3C
 * `baggage` header of the carrier into the context it returns, `context.with` makes a context
 * active while its function runs, and `getActiveBaggage` reads the active one; other headers,
 * such as `traceparent`, are ignored. Unlike the real service, span credentials are not read from
 * `options.request`.
 */
export interface TracingServiceMock extends TracingService {
  startActiveSpan: Mocked<TracingService['startActiveSpan']>;
  context: MockedTracingServiceContextAPI;
  propagation: MockedTracingServicePropagationAPI;
  /** The spans started, in order. */
  spans: MockedTracingServiceSpan[];
  /** A service factory that provides this very mock. */
  factory: ServiceFactory<TracingService>;
}

/** What the mock keeps in a context handle. */
interface MockContext extends TracingServiceContext {
  baggage?: TracingServiceBaggage;
}

/** Reads a W3C `baggage` header (`key=value;property,key2=value2`), case-insensitively named. */
function readBaggage(
  carrier: Record<string, string | string[] | undefined>,
): TracingServiceBaggage | undefined {
  const name = Object.keys(carrier).find(key => key.toLowerCase() === 'baggage');
  const header = name === undefined ? undefined : carrier[name];
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) {
    return undefined;
  }
  const entries: Array<[string, { value: string }]> = [];
  for (const member of raw.split(',')) {
    const [pair] = member.split(';');
    const equals = pair.indexOf('=');
    const key = equals === -1 ? '' : decodeURIComponent(pair.slice(0, equals).trim());
    if (key) {
      entries.push([key, { value: decodeURIComponent(pair.slice(equals + 1).trim()) }]);
    }
  }
  return entries.length > 0 ? { getAllEntries: () => entries.slice() } : undefined;
}

function createTracingMock(): TracingServiceMock {
  const spans: MockedTracingServiceSpan[] = [];
  const root: MockContext = { $$type: '@backstage/TracingServiceContext' };
  const stack: MockContext[] = [root];
  const current = () => stack[stack.length - 1];

  const startActiveSpan = createMockFn(
    async (_name: string, optionsOrFn: unknown, maybeFn?: unknown): Promise<unknown> => {
      const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as (
        span: TracingServiceSpan,
      ) => unknown;
      const span: MockedTracingServiceSpan = {
        setAttribute: createMockFn(),
        setStatus: createMockFn(),
      };
      spans.push(span);
      return await fn(span);
    },
  ) as unknown as TracingServiceMock['startActiveSpan'];

  const context: MockedTracingServiceContextAPI = {
    active: createMockFn(() => current() as TracingServiceContext),
    with: createMockFn(async (handle: TracingServiceContext, fn: () => unknown) => {
      stack.push(handle as MockContext);
      try {
        return await fn();
      } finally {
        stack.pop();
      }
    }) as unknown as MockedTracingServiceContextAPI['with'],
  };

  const propagation: MockedTracingServicePropagationAPI = {
    extract: createMockFn((handle: TracingServiceContext, carrier) => {
      const baggage = readBaggage(carrier) ?? (handle as MockContext).baggage;
      return { ...root, baggage } as MockContext;
    }),
    getBaggage: createMockFn((handle: TracingServiceContext) => (handle as MockContext).baggage),
    getActiveBaggage: createMockFn(() => current().baggage),
  };

  const service: TracingService = { startActiveSpan, context, propagation };
  return Object.assign(service, {
    startActiveSpan,
    context,
    propagation,
    spans,
    factory: createServiceFactory({
      service: tracingServiceRef,
      deps: {},
      factory: () => service,
    }),
  });
}

/**
 * The tracing service (`alpha.core.tracing`) for tests: `.factory()` is the real default factory,
 * `.mock()` a {@link TracingServiceMock}.
 *
 * @example
 * ```ts
 * const tracing = tracingServiceMock.mock();
 * await startTestBackend({ features: [myPlugin, tracing.factory] });
 * expect(tracing.startActiveSpan).toHaveBeenCalledWith('check-site', expect.any(Function));
 * expect(tracing.spans[0].setAttribute).toHaveBeenCalledWith('site', 'example.com');
 * ```
 */
export const tracingServiceMock = {
  /** The default `alpha.core.tracing` factory. */
  factory: () => tracingServiceFactory,
  /** A tracing service whose methods are mock functions, recording its spans. */
  mock: (): TracingServiceMock => createTracingMock(),
};
