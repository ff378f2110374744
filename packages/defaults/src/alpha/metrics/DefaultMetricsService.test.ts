import { describe, expect, it } from 'vitest';
import { DefaultMetricsService } from './DefaultMetricsService';

describe('DefaultMetricsService', () => {
  it('should record counters, gauges and histograms per attribute set', async () => {
    const metrics = DefaultMetricsService.create({ pluginId: 'demo' });
    expect(metrics.meter).toEqual({ name: 'backstage-plugin-demo' });
    const counter = metrics.createCounter('requests', { description: 'Requests', unit: '1' });
    counter.add(1, { route: '/a' });
    counter.add(2, { route: '/a' });
    counter.add(1, { route: '/b' });
    counter.add(-5, { route: '/a' });
    const gauge = metrics.createGauge('queue.depth');
    gauge.record(4);
    gauge.record(2);
    const histogram = metrics.createHistogram('latency', {
      advice: { explicitBucketBoundaries: [10, 100] },
    });
    for (const v of [5, 50, 500]) {
      histogram.record(v, { route: '/a' });
    }

    const snapshot = await metrics.collect();
    expect(snapshot).toEqual([
      {
        name: 'requests',
        type: 'counter',
        description: 'Requests',
        unit: '1',
        points: [
          { attributes: { route: '/a' }, value: 3 },
          { attributes: { route: '/b' }, value: 1 },
        ],
      },
      { name: 'queue.depth', type: 'gauge', points: [{ attributes: {}, value: 2 }] },
      {
        name: 'latency',
        type: 'histogram',
        points: [
          {
            attributes: { route: '/a' },
            count: 3,
            sum: 555,
            min: 5,
            max: 500,
            buckets: { boundaries: [10, 100], counts: [1, 1, 1] },
          },
        ],
      },
    ]);
  });

  it('should collect observable instruments through their callbacks', async () => {
    const metrics = DefaultMetricsService.create({ pluginId: 'demo', meter: { name: 'custom' } });
    expect(metrics.meter.name).toBe('custom');
    const observable = metrics.createObservableGauge('connections');
    let open = 3;
    const callback = (result: { observe(v: number, a?: Record<string, string>): void }) => {
      result.observe(open, { pool: 'main' });
    };
    observable.addCallback(callback);
    expect((await metrics.collect())[0].points).toEqual([
      { attributes: { pool: 'main' }, value: 3 },
    ]);
    open = 5;
    expect((await metrics.collect())[0].points).toEqual([
      { attributes: { pool: 'main' }, value: 5 },
    ]);
    observable.removeCallback(callback);
    expect((await metrics.collect())[0].points).toEqual([
      { attributes: { pool: 'main' }, value: 5 },
    ]);
  });

  it('should never throw on odd input', () => {
    const metrics = DefaultMetricsService.create({ pluginId: 'demo' });
    const counter = metrics.createCounter('odd');
    expect(() => counter.add(Number.NaN)).not.toThrow();
    expect(() => metrics.createHistogram('odd').record(Infinity)).not.toThrow();
  });
});
