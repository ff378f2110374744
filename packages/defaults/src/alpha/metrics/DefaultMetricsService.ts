import type {
  MetricAttributes,
  MetricOptions,
  MetricsService,
  MetricsServiceObservableCallback,
} from '@backplane/plugin-api/alpha';

/** The kinds of instrument. */
export type MetricInstrumentType =
  | 'counter'
  | 'upDownCounter'
  | 'histogram'
  | 'gauge'
  | 'observableCounter'
  | 'observableUpDownCounter'
  | 'observableGauge';

/** The value of one attribute set: a sum for counters, the last value for gauges. */
export interface MetricPoint {
  attributes: MetricAttributes;
  value: number;
}

/** The distribution of one attribute set of a histogram. */
export interface HistogramPoint {
  attributes: MetricAttributes;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Counts per bucket: `counts[i]` holds values up to `boundaries[i]`, the last one the rest. */
  buckets: { boundaries: number[]; counts: number[] };
}

/** What one instrument has recorded, as {@link DefaultMetricsService.collect} returns it. */
export interface MetricSnapshot {
  name: string;
  type: MetricInstrumentType;
  description?: string;
  unit?: string;
  points: Array<MetricPoint | HistogramPoint>;
}

/** The meter a plugin's instruments belong to. */
export interface MeterInfo {
  name: string;
  version?: string;
  schemaUrl?: string;
}

/** At most this many attribute sets are kept per instrument; more fold into one overflow set. */
const MAX_ATTRIBUTE_SETS = 2000;
const OVERFLOW: MetricAttributes = { 'otel.metric.overflow': true };
const DEFAULT_BOUNDARIES = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

function attributeKey(attributes: MetricAttributes = {}): string {
  return JSON.stringify(
    Object.entries(attributes)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

class Instrument {
  readonly points = new Map<string, MetricPoint | HistogramPoint>();
  readonly callbacks = new Set<MetricsServiceObservableCallback>();

  constructor(
    readonly name: string,
    readonly type: MetricInstrumentType,
    readonly options: MetricOptions = {},
  ) {}

  #slot(attributes: MetricAttributes | undefined): [string, MetricAttributes] {
    const key = attributeKey(attributes);
    if (this.points.has(key) || this.points.size < MAX_ATTRIBUTE_SETS) {
      return [key, { ...attributes }];
    }
    return [attributeKey(OVERFLOW), OVERFLOW];
  }

  add(value: number, attributes?: MetricAttributes, monotonic = false): void {
    if (!Number.isFinite(value) || (monotonic && value < 0)) {
      return;
    }
    const [key, attrs] = this.#slot(attributes);
    const point = this.points.get(key) as MetricPoint | undefined;
    if (point) {
      point.value += value;
    } else {
      this.points.set(key, { attributes: attrs, value });
    }
  }

  set(value: number, attributes?: MetricAttributes): void {
    if (!Number.isFinite(value)) {
      return;
    }
    const [key, attrs] = this.#slot(attributes);
    this.points.set(key, { attributes: attrs, value });
  }

  record(value: number, attributes?: MetricAttributes): void {
    if (!Number.isFinite(value)) {
      return;
    }
    const [key, attrs] = this.#slot(attributes);
    const boundaries = this.options.advice?.explicitBucketBoundaries ?? DEFAULT_BOUNDARIES;
    let point = this.points.get(key) as HistogramPoint | undefined;
    if (!point) {
      point = {
        attributes: attrs,
        count: 0,
        sum: 0,
        min: value,
        max: value,
        buckets: { boundaries: [...boundaries], counts: new Array(boundaries.length + 1).fill(0) },
      };
      this.points.set(key, point);
    }
    point.count += 1;
    point.sum += value;
    point.min = Math.min(point.min, value);
    point.max = Math.max(point.max, value);
    const index = boundaries.findIndex(b => value <= b);
    point.buckets.counts[index === -1 ? boundaries.length : index] += 1;
  }

  snapshot(): MetricSnapshot {
    return {
      name: this.name,
      type: this.type,
      description: this.options.description,
      unit: this.options.unit,
      points: [...this.points.values()].map(p => structuredClone(p)),
    };
  }
}

/**
 * Metrics of one plugin, kept in memory: counters sum, gauges keep their last value and
 * histograms keep count, sum, min, max and buckets, per attribute set. Recording never throws.
 * `collect()` runs observable callbacks and returns everything, for tests and exporters.
 */
export class DefaultMetricsService implements MetricsService {
  readonly meter: MeterInfo;
  readonly #instruments = new Map<string, Instrument>();

  /** Creates the metrics of a plugin; the meter is named `backstage-plugin-<pluginId>` by default. */
  static create(options: { pluginId: string; meter?: Partial<MeterInfo> }): DefaultMetricsService {
    return new DefaultMetricsService({
      name: options.meter?.name ?? `backstage-plugin-${options.pluginId}`,
      version: options.meter?.version,
      schemaUrl: options.meter?.schemaUrl,
    });
  }

  private constructor(meter: MeterInfo) {
    this.meter = meter;
  }

  #instrument(name: string, type: MetricInstrumentType, options?: MetricOptions): Instrument {
    const existing = this.#instruments.get(name);
    if (existing && existing.type === type) {
      return existing;
    }
    // A second instrument of another type under the same name replaces the first, as a
    // metrics backend would only keep one stream per name.
    const created = new Instrument(name, type, options);
    this.#instruments.set(name, created);
    return created;
  }

  createCounter(name: string, options?: MetricOptions) {
    const instrument = this.#instrument(name, 'counter', options);
    return {
      add: (value: number, attributes?: MetricAttributes) =>
        instrument.add(value, attributes, true),
    };
  }

  createUpDownCounter(name: string, options?: MetricOptions) {
    const instrument = this.#instrument(name, 'upDownCounter', options);
    return {
      add: (value: number, attributes?: MetricAttributes) => instrument.add(value, attributes),
    };
  }

  createHistogram(name: string, options?: MetricOptions) {
    const instrument = this.#instrument(name, 'histogram', options);
    return {
      record: (value: number, attributes?: MetricAttributes) =>
        instrument.record(value, attributes),
    };
  }

  createGauge(name: string, options?: MetricOptions) {
    const instrument = this.#instrument(name, 'gauge', options);
    return {
      record: (value: number, attributes?: MetricAttributes) => instrument.set(value, attributes),
    };
  }

  createObservableCounter(name: string, options?: MetricOptions) {
    return this.#observable(this.#instrument(name, 'observableCounter', options));
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions) {
    return this.#observable(this.#instrument(name, 'observableUpDownCounter', options));
  }

  createObservableGauge(name: string, options?: MetricOptions) {
    return this.#observable(this.#instrument(name, 'observableGauge', options));
  }

  /** Runs the observable callbacks, then returns what every instrument holds. */
  async collect(): Promise<MetricSnapshot[]> {
    for (const instrument of this.#instruments.values()) {
      if (instrument.callbacks.size === 0) {
        continue;
      }
      instrument.points.clear();
      for (const callback of instrument.callbacks) {
        try {
          await callback({ observe: (value, attributes) => instrument.set(value, attributes) });
        } catch {
          // A failing callback reports nothing this round, like in OpenTelemetry.
        }
      }
    }
    return [...this.#instruments.values()].map(i => i.snapshot());
  }

  #observable(instrument: Instrument) {
    return {
      addCallback: (callback: MetricsServiceObservableCallback) =>
        void instrument.callbacks.add(callback),
      removeCallback: (callback: MetricsServiceObservableCallback) =>
        void instrument.callbacks.delete(callback),
    };
  }
}
