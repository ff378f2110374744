import { describe, expect, it } from 'vitest';
import { DefaultTracingService, type FinishedSpan } from './DefaultTracingService';

describe('DefaultTracingService', () => {
  it('should run functions in nested spans and report them when configured', async () => {
    const spans: FinishedSpan[] = [];
    const tracing = DefaultTracingService.create({
      pluginId: 'demo',
      onSpanEnd: s => spans.push(s),
    });
    const result = await tracing.startActiveSpan('outer', { kind: 'server' }, async span => {
      span.setAttribute('items', 3);
      return tracing.startActiveSpan('inner', () => 42);
    });
    expect(result).toBe(42);
    expect(spans.map(s => s.name)).toEqual(['inner', 'outer']);
    const [inner, outer] = spans;
    expect(inner.traceId).toBe(outer.traceId);
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(outer).toMatchObject({
      tracer: 'backstage-plugin-demo',
      kind: 'server',
      attributes: { items: 3 },
      status: { code: 'unset' },
    });
  });

  it('should mark a span as failed and rethrow', async () => {
    const spans: FinishedSpan[] = [];
    const tracing = DefaultTracingService.create({
      pluginId: 'demo',
      onSpanEnd: s => spans.push(s),
    });
    await expect(
      tracing.startActiveSpan('fails', async () => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    expect(spans[0].status).toEqual({ code: 'error', message: 'bad' });
  });

  it('should extract trace parent and baggage and make them active', async () => {
    const spans: FinishedSpan[] = [];
    const tracing = DefaultTracingService.create({
      pluginId: 'demo',
      onSpanEnd: s => spans.push(s),
    });
    const context = tracing.propagation.extract(tracing.context.active(), {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      baggage: 'tenant=acme,user%20id=a%20b;prop=1',
    });
    expect(tracing.propagation.getBaggage(context)?.getAllEntries()).toEqual([
      ['tenant', { value: 'acme' }],
      ['user id', { value: 'a b' }],
    ]);
    expect(tracing.propagation.getActiveBaggage()).toBeUndefined();
    await tracing.context.with(context, async () => {
      expect(tracing.propagation.getActiveBaggage()?.getAllEntries()).toHaveLength(2);
      await tracing.startActiveSpan('child', () => undefined);
    });
    expect(spans[0]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
    });
  });

  it('should add the end user when asked to', async () => {
    const spans: FinishedSpan[] = [];
    const tracing = DefaultTracingService.create({
      pluginId: 'demo',
      captureEndUser: true,
      onSpanEnd: s => spans.push(s),
    });
    await tracing.startActiveSpan(
      'as-user',
      {
        credentials: {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/alice' },
        },
      },
      () => undefined,
    );
    expect(spans[0].attributes['enduser.id']).toBe('user:default/alice');
  });
});
