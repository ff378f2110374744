import { createServiceRef } from '@backplane/plugin-api';

/** An event: a topic, a payload, and optional metadata such as the headers it arrived with. */
export interface EventParams<TPayload = unknown> {
  topic: string;
  eventPayload: TPayload;
  metadata?: Record<string, string | string[] | undefined>;
}

/** Handles one event of a subscribed topic. */
export type EventsServiceEventHandler = (params: EventParams) => Promise<void>;

/** Options of {@link EventsService.subscribe}. */
export interface EventsServiceSubscribeOptions {
  /** Names the subscription in logs; it is prefixed with the plugin id. */
  id: string;
  topics: string[];
  onEvent: EventsServiceEventHandler;
}

/**
 * Publish and subscribe between plugins of one backend, with the interface of
 * `@backstage/plugin-events-node`'s `EventsService`.
 */
export interface EventsService {
  publish(params: EventParams): Promise<void>;
  subscribe(options: EventsServiceSubscribeOptions): Promise<void>;
}

/**
 * The ref of the events service (`events.service`, plugin scope). Plugins built against
 * `@backstage/plugin-events-node` use a ref with the same id, so they get this service.
 */
export const eventsServiceRef = createServiceRef<EventsService>({ id: 'events.service' });
