import { describe, expect, it } from 'vitest';
import { ConfigReader } from '@backplane/defaults/rootConfig';
import type { LoggerService } from '@backplane/plugin-api';
import { DefaultEventsService } from './DefaultEventsService';
import { eventsServiceFactory } from './eventsServiceFactory';
import type { EventParams, EventsService } from './EventsService';

function captureLogger(lines: Array<[string, string, unknown]> = []): LoggerService {
  const logger: LoggerService = {
    error: (m, meta) => void lines.push(['error', m, meta]),
    warn: (m, meta) => void lines.push(['warn', m, meta]),
    info: (m, meta) => void lines.push(['info', m, meta]),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

describe('DefaultEventsService', () => {
  it('should deliver an event to every subscriber of its topic across plugins', async () => {
    const bus = DefaultEventsService.create({ logger: captureLogger() });
    const catalog = bus.forPlugin('catalog');
    const search = bus.forPlugin('search');
    const seen: string[] = [];
    await search.subscribe({
      id: 'indexer',
      topics: ['catalog.changed'],
      onEvent: async e => void seen.push(`search:${(e.eventPayload as { ref: string }).ref}`),
    });
    await catalog.subscribe({
      id: 'self',
      topics: ['catalog.changed', 'other'],
      onEvent: async e => void seen.push(`catalog:${e.metadata?.source}`),
    });
    await search.subscribe({
      id: 'unrelated',
      topics: ['other'],
      onEvent: async () => {
        seen.push('unrelated');
      },
    });

    await catalog.publish({
      topic: 'catalog.changed',
      eventPayload: { ref: 'component:default/a' },
      metadata: { source: 'test' },
    });
    expect(seen.sort()).toEqual(['catalog:test', 'search:component:default/a']);
  });

  it('should log a failing subscriber and still reach the others', async () => {
    const lines: Array<[string, string, unknown]> = [];
    const bus = DefaultEventsService.create({ logger: captureLogger() });
    const failing = bus.forPlugin('broken', { logger: captureLogger(lines) });
    const fine = bus.forPlugin('fine');
    const got: EventParams[] = [];
    await failing.subscribe({
      id: 'crash',
      topics: ['t'],
      onEvent: async () => {
        throw new Error('nope');
      },
    });
    await fine.subscribe({ id: 'ok', topics: ['t'], onEvent: async e => void got.push(e) });
    await expect(fine.publish({ topic: 't', eventPayload: 1 })).resolves.toBeUndefined();
    expect(got).toEqual([{ topic: 't', eventPayload: 1 }]);
    expect(lines).toEqual([
      [
        'warn',
        "Subscriber 'broken.crash' failed to handle an event of topic 't'",
        new Error('nope'),
      ],
    ]);
  });

  it('should reject malformed subscriptions, events and config', async () => {
    const bus = DefaultEventsService.create({ logger: captureLogger() }).forPlugin('p');
    await expect(bus.subscribe({ id: 's', topics: [], onEvent: async () => {} })).rejects.toThrow(
      "Event subscription 'p.s' needs topics, a non-empty list of strings.",
    );
    await expect(bus.publish({ topic: '', eventPayload: null })).rejects.toThrow(
      'An event needs a topic',
    );
    expect(() =>
      DefaultEventsService.create({
        logger: captureLogger(),
        config: new ConfigReader({ events: { useEventBus: 'sometimes' } }),
      }),
    ).toThrow(
      "Config 'events.useEventBus' must be one of 'never', 'always', 'auto', got 'sometimes'.",
    );
  });

  it('should share one bus between plugins through the factory root context', async () => {
    const factory = eventsServiceFactory as unknown as {
      service: { id: string; scope: string };
      createRootContext(deps: object): Promise<unknown>;
      factory(deps: object, ctx: unknown): Promise<EventsService>;
    };
    expect(factory.service).toMatchObject({ id: 'events.service', scope: 'plugin' });
    const logger = captureLogger();
    const ctx = await factory.createRootContext({
      rootLogger: logger,
      rootConfig: new ConfigReader({}),
    });
    const make = (id: string) =>
      factory.factory({ pluginMetadata: { getId: () => id }, logger }, ctx);
    const a = await make('a');
    const b = await make('b');
    let received = 0;
    await b.subscribe({ id: 'x', topics: ['ping'], onEvent: async () => void (received += 1) });
    await a.publish({ topic: 'ping', eventPayload: {} });
    expect(received).toBe(1);
  });
});
