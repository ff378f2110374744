import { metricsServiceRef } from '@backplane/plugin-api/alpha';
import type { MetricsService } from '@backplane/plugin-api/alpha';
import { metricsServiceFactory } from '@backplane/defaults/alpha';
import { createMockFn } from '../mockFn/createMockFn';
import { createServiceMock } from '../services/createServiceMock';

const counter = () => createMockFn(() => ({ add: createMockFn() }));
const recorder = () => createMockFn(() => ({ record: createMockFn() }));
const observable = () =>
  createMockFn(() => ({ addCallback: createMockFn(), removeCallback: createMockFn() }));

/**
 * The metrics service (`alpha.core.metrics`) for tests: `.factory()` is the real default factory,
 * `.mock(partial?)` a service whose `create…` methods are mock functions returning instruments
 * whose methods (`add`, `record`, `addCallback`, `removeCallback`) are mock functions too.
 *
 * @example
 * ```ts
 * const metrics = metricsServiceMock.mock();
 * // … run code that calls metrics.createCounter('checks').add(1)
 * expect(metrics.createCounter.mock.results[0].value.add).toHaveBeenCalledWith(1);
 * ```
 */
export const metricsServiceMock = {
  /** The default `alpha.core.metrics` factory. */
  factory: () => metricsServiceFactory,
  /** A service whose methods, and the instruments they return, are mock functions. */
  mock: createServiceMock(metricsServiceRef, (): MetricsService => ({
    createCounter: counter(),
    createUpDownCounter: counter(),
    createHistogram: recorder(),
    createGauge: recorder(),
    createObservableCounter: observable(),
    createObservableUpDownCounter: observable(),
    createObservableGauge: observable(),
  })),
};
