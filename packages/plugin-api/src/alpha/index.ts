/**
 * Alpha service refs. Real plugins declare these as required dependencies, so a backend must
 * provide them; their shapes may still change.
 */
import { createServiceRef } from '../wiring/createServiceRef';
import type { BackstageCredentials } from '../services/AuthService';
import type { JsonObject, JsonValue } from '../services/CacheService';
import type { LoggerService } from '../services/LoggerService';

/** An action a plugin offers to other plugins and to tools. */
export interface ActionsRegistryActionOptions {
  name: string;
  title: string;
  description: string;
  /** Zod schema builders; each is called with the `zod/v3` namespace. */
  schema: { input(z: any): any; output(z: any): any; secrets?(z: any): any };
  examples?: Array<{ title: string; description?: string; input: any; output?: any }>;
  /** A permission that hides the action from callers it does not allow. */
  visibilityPermission?: { type: 'basic'; name: string; attributes: Record<string, unknown> };
  attributes?: { destructive?: boolean; idempotent?: boolean; readOnly?: boolean };
  action(context: {
    input: any;
    secrets?: any;
    credentials: BackstageCredentials;
    logger: LoggerService;
  }): Promise<{ output: any } | void>;
}

/** Registers the actions this plugin offers. */
export interface ActionsRegistryService {
  register(options: ActionsRegistryActionOptions): void;
}

/** An action as listed by {@link ActionsService.list}. */
export interface ActionsServiceAction {
  /** `<pluginId>:<name>`. */
  id: string;
  pluginId: string;
  name: string;
  title: string;
  description: string;
  /** JSON schemas of the input and output. */
  schema: { input: JsonObject; output: JsonObject; secrets?: JsonObject };
  examples?: Array<{ title: string; description?: string; input: JsonObject; output?: JsonObject }>;
  attributes: { destructive: boolean; idempotent: boolean; readOnly: boolean };
}

/** Lists and invokes the actions of plugins in this backend. */
export interface ActionsService {
  list(options: {
    credentials: BackstageCredentials;
  }): Promise<{ actions: ActionsServiceAction[] }>;
  invoke(options: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials: BackstageCredentials;
    signal?: AbortSignal;
  }): Promise<{ output: JsonValue }>;
}

/** Attributes attached to a metric value. */
export type MetricAttributes = Record<
  string,
  string | number | boolean | Array<null | undefined | string | number | boolean> | undefined
>;

/** Options of a metric instrument. */
export interface MetricOptions {
  description?: string;
  unit?: string;
  /** Hints for aggregation, like histogram bucket boundaries. */
  advice?: { explicitBucketBoundaries?: number[] };
}

/** A counter, histogram or gauge. */
export interface MetricsServiceInstrument {
  add?(value: number, attributes?: MetricAttributes): void;
  record?(value: number, attributes?: MetricAttributes): void;
}

/** Called when observable metrics are collected; reports values through `observe`. */
export type MetricsServiceObservableCallback = (result: {
  observe(value: number, attributes?: MetricAttributes): void;
}) => void | Promise<void>;

/** Creates metric instruments scoped to the plugin. */
export interface MetricsService {
  createCounter(
    name: string,
    options?: MetricOptions,
  ): {
    add(value: number, attributes?: MetricAttributes): void;
  };
  createUpDownCounter(
    name: string,
    options?: MetricOptions,
  ): {
    add(value: number, attributes?: MetricAttributes): void;
  };
  createHistogram(
    name: string,
    options?: MetricOptions,
  ): {
    record(value: number, attributes?: MetricAttributes): void;
  };
  createGauge(
    name: string,
    options?: MetricOptions,
  ): {
    record(value: number, attributes?: MetricAttributes): void;
  };
  createObservableCounter(
    name: string,
    options?: MetricOptions,
  ): {
    addCallback(callback: MetricsServiceObservableCallback): void;
    removeCallback(callback: MetricsServiceObservableCallback): void;
  };
  createObservableUpDownCounter(
    name: string,
    options?: MetricOptions,
  ): {
    addCallback(callback: MetricsServiceObservableCallback): void;
    removeCallback(callback: MetricsServiceObservableCallback): void;
  };
  createObservableGauge(
    name: string,
    options?: MetricOptions,
  ): {
    addCallback(callback: MetricsServiceObservableCallback): void;
    removeCallback(callback: MetricsServiceObservableCallback): void;
  };
}

/** A value that can be attached to a span. */
export type TracingServiceAttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/** Key-value pairs attached to a span. */
export type TracingServiceAttributes = Record<string, TracingServiceAttributeValue | undefined>;

/** The kind of operation a span stands for. */
export type TracingServiceSpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** The status of a span. */
export interface TracingServiceSpanStatus {
  code: 'unset' | 'ok' | 'error';
  message?: string;
}

/** A trace span, handed to the function run by `startActiveSpan`. */
export interface TracingServiceSpan {
  setAttribute(key: string, value: TracingServiceAttributeValue): void;
  setStatus(status: TracingServiceSpanStatus): void;
}

/** Options of `startActiveSpan`. */
export interface TracingServiceSpanOptions {
  attributes?: TracingServiceAttributes;
  kind?: TracingServiceSpanKind;
  credentials?: BackstageCredentials;
  request?: unknown;
}

/** An opaque tracing context. */
export interface TracingServiceContext {
  readonly $$type: '@backstage/TracingServiceContext';
}

/** Propagated baggage entries. */
export interface TracingServiceBaggage {
  getAllEntries(): Array<[string, { value: string }]>;
}

/** Creates trace spans scoped to the plugin. */
export interface TracingService {
  startActiveSpan<T>(name: string, fn: (span: TracingServiceSpan) => T | Promise<T>): Promise<T>;
  startActiveSpan<T>(
    name: string,
    options: TracingServiceSpanOptions,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  readonly context: {
    active(): TracingServiceContext;
    with<T>(context: TracingServiceContext, fn: () => T | Promise<T>): Promise<T>;
  };
  readonly propagation: {
    extract(
      context: TracingServiceContext,
      carrier: Record<string, string | string[] | undefined>,
    ): TracingServiceContext;
    getBaggage(context: TracingServiceContext): TracingServiceBaggage | undefined;
    getActiveBaggage(): TracingServiceBaggage | undefined;
  };
}

/** A connection to an external system, read from the `connections` config. */
export interface Connection {
  type: string;
  title: string;
  auth?: { method: string; title?: string } & Record<string, unknown>;
  [field: string]: unknown;
}

/** Looks up connections to external systems that the plugin declared. */
export interface ConnectionsService {
  find(options: {
    type: string;
    /** `{ url }` for host-based types, or the type's own lookup fields. */
    query?: Record<string, unknown>;
    /** Auth methods the caller accepts, in order of preference. */
    authMethods?: readonly string[];
  }): Promise<Connection>;
}

/** Ref for the actions registry (`alpha.core.actionsRegistry`). */
export const actionsRegistryServiceRef = createServiceRef<ActionsRegistryService>({
  id: 'alpha.core.actionsRegistry',
});
/** Ref for the actions service (`alpha.core.actions`). */
export const actionsServiceRef = createServiceRef<ActionsService>({ id: 'alpha.core.actions' });
/** Ref for the metrics service (`alpha.core.metrics`). */
export const metricsServiceRef = createServiceRef<MetricsService>({ id: 'alpha.core.metrics' });
/** Ref for the tracing service (`alpha.core.tracing`). */
export const tracingServiceRef = createServiceRef<TracingService>({ id: 'alpha.core.tracing' });
/** Ref for the connections service (`alpha.core.connections`). */
export const connectionsServiceRef = createServiceRef<ConnectionsService>({
  id: 'alpha.core.connections',
});

/** Declares that a plugin or module uses a connection of `type`. */
export function declareConnection(
  reg: {
    registerConnection?(connection: {
      type: string;
      required?: boolean;
      description?: string;
    }): void;
  },
  connection: { type: string; required?: boolean; description?: string },
): void {
  if (typeof reg.registerConnection !== 'function') {
    throw new Error('declareConnection: this registration point does not accept connections.');
  }
  reg.registerConnection(connection);
}
