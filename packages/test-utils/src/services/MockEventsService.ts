import type { LoggerService } from '@backplane/plugin-api';
import { DefaultEventsService, eventsServiceRef } from '@backplane/defaults/events';
import type {
  EventParams,
  EventsService,
  EventsServiceSubscribeOptions,
} from '@backplane/defaults/events';
import { MockRootLoggerService } from './MockRootLoggerService';

export { eventsServiceRef };
export type { EventsService };

/** Options of {@link MockEventsService}. */
export interface MockEventsServiceOptions {
  /** Receives the warning of a failing subscriber; default a silent mock logger (`LOG_LEVEL`). */
  logger?: LoggerService;
}

/**
 * An in-process events service: `publish` calls every subscriber of the topic and resolves when
 * they have all handled the event, so a test can assert right after it. One instance shared by
 * several plugins is one event bus; `published` keeps every event for assertions.
 *
 * It is the real bus of `@backplane/defaults/events` underneath, so it rejects the same malformed
 * events and subscriptions with the same `InputError`s, and a subscriber that throws is logged as
 * a warning without failing the publisher or the other subscribers.
 */
export class MockEventsService implements EventsService {
  readonly #bus: DefaultEventsService;

  /** Every event published so far, oldest first; events rejected as malformed are left out. */
  readonly published: EventParams[] = [];

  constructor(options: MockEventsServiceOptions = {}) {
    this.#bus = DefaultEventsService.create({
      logger: options.logger ?? new MockRootLoggerService(),
    });
  }

  async publish(params: EventParams): Promise<void> {
    // Recorded before delivery so a subscriber already sees its event in `published`; the bus
    // rejects only a malformed event, which is then taken out again.
    this.published.push(params);
    try {
      await this.#bus.publish(params);
    } catch (error) {
      this.published.splice(this.published.lastIndexOf(params), 1);
      throw error;
    }
  }

  async subscribe(options: EventsServiceSubscribeOptions): Promise<void> {
    await this.#bus.subscribe(options);
  }
}
