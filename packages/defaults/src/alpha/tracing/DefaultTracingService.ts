import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { InputError } from '@backplane/plugin-api';
import type { BackstageCredentials, HttpAuthService } from '@backplane/plugin-api';
import type {
  TracingService,
  TracingServiceAttributes,
  TracingServiceAttributeValue,
  TracingServiceBaggage,
  TracingServiceContext,
  TracingServiceSpan,
  TracingServiceSpanKind,
  TracingServiceSpanOptions,
  TracingServiceSpanStatus,
} from '@backplane/plugin-api/alpha';

/** A span after it ended, as handed to `onSpanEnd`. */
export interface FinishedSpan {
  name: string;
  /** The tracer it came from: `backstage-plugin-<pluginId>`. */
  tracer: string;
  kind: TracingServiceSpanKind;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: TracingServiceAttributes;
  status: TracingServiceSpanStatus;
  startTime: number;
  endTime: number;
  error?: unknown;
}

/** Options of {@link DefaultTracingService.create}. */
export interface DefaultTracingServiceOptions {
  pluginId: string;
  /** Used to find the end user of a span started with a `request`. */
  httpAuth?: HttpAuthService;
  /** Adds an `enduser.id` attribute from the span's credentials or request. */
  captureEndUser?: boolean;
  /** Receives every span when it ends. Without it spans are recorded nowhere. */
  onSpanEnd?(span: FinishedSpan): void;
}

interface ContextData extends TracingServiceContext {
  traceId?: string;
  spanId?: string;
  traceFlags?: string;
  baggage?: ReadonlyMap<string, string>;
}

const ROOT: ContextData = Object.freeze({ $$type: '@backstage/TracingServiceContext' as const });
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function header(carrier: Record<string, string | string[] | undefined>, name: string) {
  const entry = Object.entries(carrier).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseBaggage(text: string | undefined, into: Map<string, string>): void {
  for (const member of (text ?? '').split(',')) {
    const [pair] = member.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      continue;
    }
    try {
      into.set(
        decodeURIComponent(pair.slice(0, eq).trim()),
        decodeURIComponent(pair.slice(eq + 1).trim()),
      );
    } catch {
      // A malformed member is skipped, like propagators do.
    }
  }
}

function toBaggage(
  map: ReadonlyMap<string, string> | undefined,
): TracingServiceBaggage | undefined {
  if (!map || map.size === 0) {
    return undefined;
  }
  return { getAllEntries: () => [...map].map(([key, value]) => [key, { value }]) };
}

/**
 * Trace spans of one plugin. Spans carry ids, attributes, status and the active context
 * (W3C `traceparent` and `baggage` can be extracted from inbound headers), but nothing is
 * exported unless an `onSpanEnd` receiver is configured, so by default they cost next to nothing.
 */
export class DefaultTracingService implements TracingService {
  readonly #options: DefaultTracingServiceOptions;
  readonly #storage = new AsyncLocalStorage<ContextData>();

  /** Creates the tracing of a plugin. */
  static create(options: DefaultTracingServiceOptions): DefaultTracingService {
    return new DefaultTracingService(options);
  }

  private constructor(options: DefaultTracingServiceOptions) {
    this.#options = options;
  }

  readonly context = {
    active: (): TracingServiceContext => this.#storage.getStore() ?? ROOT,
    with: async <T>(context: TracingServiceContext, fn: () => T | Promise<T>): Promise<T> =>
      this.#storage.run(context as ContextData, async () => fn()),
  };

  readonly propagation = {
    extract: (
      context: TracingServiceContext,
      carrier: Record<string, string | string[] | undefined>,
    ): TracingServiceContext => {
      const base = context as ContextData;
      const next: ContextData = { ...base };
      const parent = TRACEPARENT.exec(header(carrier, 'traceparent')?.trim() ?? '');
      if (parent) {
        [, next.traceId, next.spanId, next.traceFlags] = parent;
      }
      const baggage = new Map(base.baggage ?? []);
      parseBaggage(header(carrier, 'baggage'), baggage);
      next.baggage = baggage;
      return Object.freeze(next);
    },
    getBaggage: (context: TracingServiceContext) => toBaggage((context as ContextData).baggage),
    getActiveBaggage: () => toBaggage(this.#storage.getStore()?.baggage),
  };

  startActiveSpan<T>(name: string, fn: (span: TracingServiceSpan) => T | Promise<T>): Promise<T>;
  startActiveSpan<T>(
    name: string,
    options: TracingServiceSpanOptions,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  async startActiveSpan<T>(
    name: string,
    optionsOrFn: TracingServiceSpanOptions | ((span: TracingServiceSpan) => T | Promise<T>),
    maybeFn?: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T> {
    const [options, fn] =
      typeof optionsOrFn === 'function' ? [{}, optionsOrFn] : [optionsOrFn ?? {}, maybeFn];
    if (typeof fn !== 'function') {
      throw new InputError(`startActiveSpan('${name}') needs a function to run inside the span.`);
    }
    const parent = this.#storage.getStore() ?? ROOT;
    const span: FinishedSpan = {
      name,
      tracer: `backstage-plugin-${this.#options.pluginId}`,
      kind: options.kind ?? 'internal',
      traceId: parent.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      parentSpanId: parent.spanId,
      attributes: { ...options.attributes },
      status: { code: 'unset' },
      startTime: Date.now(),
      endTime: 0,
    };
    if (this.#options.captureEndUser) {
      const endUser = await this.#endUser(options);
      if (endUser) {
        span.attributes['enduser.id'] = endUser;
      }
    }
    const handle: TracingServiceSpan = {
      setAttribute: (key: string, value: TracingServiceAttributeValue) => {
        span.attributes[key] = value;
      },
      setStatus: (status: TracingServiceSpanStatus) => {
        span.status = { ...status };
      },
    };
    const context: ContextData = Object.freeze({
      ...parent,
      traceId: span.traceId,
      spanId: span.spanId,
    });
    try {
      return await this.#storage.run(context, async () => fn(handle));
    } catch (error) {
      span.error = error;
      span.status = {
        code: 'error',
        message: error instanceof Error ? error.message : String(error),
      };
      throw error;
    } finally {
      span.endTime = Date.now();
      this.#options.onSpanEnd?.(span);
    }
  }

  async #endUser(options: TracingServiceSpanOptions): Promise<string | undefined> {
    let credentials: BackstageCredentials | undefined = options.credentials;
    if (!credentials && options.request && this.#options.httpAuth) {
      try {
        credentials = await this.#options.httpAuth.credentials(options.request as never);
      } catch {
        return undefined;
      }
    }
    const principal = credentials?.principal as
      { type: string; userEntityRef?: string; subject?: string } | undefined;
    return principal?.userEntityRef ?? principal?.subject;
  }
}
