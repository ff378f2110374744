import { createBackendPlugin, InputError } from '@backplane/plugin-api';
import type { LoggerService } from '@backplane/plugin-api';
import { startTestBackend } from '../backend/startTestBackend';
import { eventsServiceRef, MockEventsService, type EventsService } from './MockEventsService';
import { mockServices } from './mockServices';

/** Starts a test backend with one plugin and hands back that plugin's events service. */
async function eventsOfTestBackend() {
  let events: EventsService | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'publisher',
    register(reg) {
      reg.registerInit({
        deps: { events: eventsServiceRef },
        async init(deps) {
          events = deps.events;
        },
      });
    },
  });
  const backend = await startTestBackend({ features: [plugin] });
  return { backend, events: events! };
}

function captureLogger(lines: Array<[string, string, unknown]>): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => void lines.push(['error', message, meta]),
    warn: (message, meta) => void lines.push(['warn', message, meta]),
    info: (message, meta) => void lines.push(['info', message, meta]),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

describe('MockEventsService', () => {
  it('should reject an event without a topic with the InputError of the real service', async () => {
    const { backend, events } = await eventsOfTestBackend();
    try {
      const publishing = events.publish({ eventPayload: 1 } as never);
      await expect(publishing).rejects.toThrow(InputError);
      await expect(publishing).rejects.toThrow(
        'An event needs a topic, like { topic: "catalog.entity-updated", eventPayload }.',
      );
      await expect(events.publish(undefined as never)).rejects.toThrow(InputError);
    } finally {
      await backend.stop();
    }
  });

  it('should not record an event it rejected', async () => {
    const events = mockServices.events();
    await expect(events.publish({ topic: '', eventPayload: 1 })).rejects.toThrow(InputError);
    await events.publish({ topic: 't', eventPayload: 2 });
    expect(events.published).toEqual([{ topic: 't', eventPayload: 2 }]);
  });

  it('should reject malformed subscriptions with the InputErrors of the real service', async () => {
    const { backend, events } = await eventsOfTestBackend();
    try {
      await expect(events.subscribe({} as never)).rejects.toThrow(
        new InputError('An event subscription needs an id, which names it in logs.'),
      );
      await expect(
        events.subscribe({ id: 's', topics: [], onEvent: async () => {} }),
      ).rejects.toThrow("Event subscription 's' needs topics, a non-empty list of strings.");
      await expect(events.subscribe({ id: 's', topics: ['t'] } as never)).rejects.toThrow(
        "Event subscription 's' needs an onEvent function.",
      );
    } finally {
      await backend.stop();
    }
  });

  it('should isolate a failing subscriber from the publisher and the others', async () => {
    const { backend, events } = await eventsOfTestBackend();
    try {
      const seen: unknown[] = [];
      await events.subscribe({
        id: 'crash',
        topics: ['t'],
        onEvent: async () => {
          throw new Error('nope');
        },
      });
      await events.subscribe({ id: 'ok', topics: ['t'], onEvent: async e => void seen.push(e) });
      await expect(events.publish({ topic: 't', eventPayload: 1 })).resolves.toBeUndefined();
      expect(seen).toEqual([{ topic: 't', eventPayload: 1 }]);
    } finally {
      await backend.stop();
    }
  });

  it('should log a failing subscriber as a warning on its logger', async () => {
    const lines: Array<[string, string, unknown]> = [];
    const events = new MockEventsService({ logger: captureLogger(lines) });
    await events.subscribe({
      id: 'crash',
      topics: ['t'],
      onEvent: async () => {
        throw new Error('nope');
      },
    });
    await events.publish({ topic: 't', eventPayload: 1 });
    expect(lines).toEqual([
      ['warn', "Subscriber 'crash' failed to handle an event of topic 't'", new Error('nope')],
    ]);
    expect(events.published).toEqual([{ topic: 't', eventPayload: 1 }]);
  });
});
