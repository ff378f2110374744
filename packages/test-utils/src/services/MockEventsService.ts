import { eventsServiceRef } from '@backplane/defaults/events';
import type {
  EventParams,
  EventsService,
  EventsServiceSubscribeOptions,
} from '@backplane/defaults/events';

export { eventsServiceRef };
export type { EventsService };

/**
 * An in-process events service: `publish` calls every subscriber of the topic and resolves when
 * they have all handled the event, so a test can assert right after it. One instance shared by
 * several plugins is one event bus; `published` keeps every event for assertions.
 */
export class MockEventsService implements EventsService {
  readonly #subscribers: EventsServiceSubscribeOptions[] = [];

  /** Every event published so far, oldest first. */
  readonly published: EventParams[] = [];

  async publish(params: EventParams): Promise<void> {
    this.published.push(params);
    const handlers = this.#subscribers.filter(s => s.topics.includes(params.topic));
    await Promise.all(handlers.map(s => s.onEvent(params)));
  }

  async subscribe(options: EventsServiceSubscribeOptions): Promise<void> {
    this.#subscribers.push(options);
  }
}
