/**
 * Alpha service refs. Real plugins declare these as required dependencies, so a backend must
 * provide them; their shapes may still change.
 */
import { createServiceRef } from '../wiring/createServiceRef';
import type { BackstageCredentials } from '../services/AuthService';
import type { JsonObject, JsonValue } from '../services/CacheService';

/** An action a plugin offers to other plugins and to tools. */
export interface ActionsRegistryActionOptions {
  name: string;
  title: string;
  description: string;
  schema: { input(z: any): any; output(z: any): any };
  attributes?: { destructive?: boolean; idempotent?: boolean; readOnly?: boolean };
  action(context: {
    input: any;
    credentials: BackstageCredentials;
    logger: unknown;
  }): Promise<{ output: any }>;
}

/** Registers the actions this plugin offers. */
export interface ActionsRegistryService {
  register(options: ActionsRegistryActionOptions): void;
}

/** An action as listed by {@link ActionsService.list}. */
export interface ActionsServiceAction {
  id: string;
  name: string;
  title: string;
  description: string;
  schema: { input: JsonObject; output: JsonObject };
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
    credentials: BackstageCredentials;
  }): Promise<{ output: JsonValue }>;
}

/** Attributes attached to a metric value. */
export type MetricAttributes = Record<string, string | number | boolean | undefined>;

/** A counter, histogram or gauge. */
export interface MetricsServiceInstrument {
  add?(value: number, attributes?: MetricAttributes): void;
  record?(value: number, attributes?: MetricAttributes): void;
}

/** Creates metric instruments scoped to the plugin. */
export interface MetricsService {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    add(value: number, attributes?: MetricAttributes): void;
  };
  createUpDownCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    add(value: number, attributes?: MetricAttributes): void;
  };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    record(value: number, attributes?: MetricAttributes): void;
  };
  createGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    record(value: number, attributes?: MetricAttributes): void;
  };
  createObservableCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    addCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
    removeCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
  };
  createObservableUpDownCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    addCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
    removeCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
  };
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    addCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
    removeCallback(
      callback: (result: { observe(value: number, attributes?: MetricAttributes): void }) => void,
    ): void;
  };
}

/** Creates trace spans scoped to the plugin. */
export interface TracingService {
  startActiveSpan<T>(name: string, fn: (span: TracingSpan) => T): T;
  startSpan(name: string): TracingSpan;
}

/** A trace span. */
export interface TracingSpan {
  setAttribute(key: string, value: string | number | boolean): TracingSpan;
  setStatus(status: { code: number; message?: string }): TracingSpan;
  recordException(error: unknown): void;
  end(): void;
}

/** Connections to external systems declared by plugins. */
export interface ConnectionsService {
  find(type: string): Promise<unknown[]>;
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
