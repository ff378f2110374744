import { InputError } from '@backplane/plugin-api';
import type { Config, LoggerService } from '@backplane/plugin-api';
import type { EventParams, EventsService, EventsServiceSubscribeOptions } from './EventsService';

interface Subscription {
  /** `<pluginId>.<id>`. */
  id: string;
  topics: ReadonlySet<string>;
  onEvent: EventsServiceSubscribeOptions['onEvent'];
  logger: LoggerService;
}

const EVENT_BUS_MODES = ['never', 'always', 'auto'] as const;

/**
 * The in-process event bus shared by every plugin of a backend. An event reaches every
 * subscription of its topic in this process; a failing subscriber is logged and does not
 * affect the publisher or the other subscribers. Events are not stored and do not travel to
 * other replicas.
 */
export class DefaultEventsService implements EventsService {
  readonly #logger: LoggerService;
  readonly #subscriptions: Subscription[] = [];

  /** Creates the bus; reads `events.useEventBus` only to validate it and warn about `always`. */
  static create(options: { logger: LoggerService; config?: Config }): DefaultEventsService {
    const mode = options.config?.getOptionalString('events.useEventBus');
    if (mode !== undefined && !(EVENT_BUS_MODES as readonly string[]).includes(mode)) {
      throw new InputError(
        `Config 'events.useEventBus' must be one of 'never', 'always', 'auto', got '${mode}'.`,
      );
    }
    if (mode === 'always') {
      options.logger.warn(
        "Config 'events.useEventBus' is 'always', but events are delivered within this process only",
      );
    }
    return new DefaultEventsService(options.logger);
  }

  private constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  /** The view of the bus for one plugin: its subscription ids are prefixed with the plugin id. */
  forPlugin(pluginId: string, options: { logger?: LoggerService } = {}): EventsService {
    const logger = options.logger ?? this.#logger.child({ plugin: pluginId });
    return {
      publish: params => this.#publish(params, logger),
      subscribe: async subscription => this.#subscribe(subscription, `${pluginId}.`, logger),
    };
  }

  publish(params: EventParams): Promise<void> {
    return this.#publish(params, this.#logger);
  }

  async subscribe(options: EventsServiceSubscribeOptions): Promise<void> {
    this.#subscribe(options, '', this.#logger);
  }

  async #publish(params: EventParams, logger: LoggerService): Promise<void> {
    if (!params || typeof params.topic !== 'string' || params.topic === '') {
      throw new InputError(
        'An event needs a topic, like { topic: "catalog.entity-updated", eventPayload }.',
      );
    }
    const targets = this.#subscriptions.filter(s => s.topics.has(params.topic));
    logger.debug('Publishing event', { topic: params.topic, subscribers: targets.length });
    await Promise.all(
      targets.map(async subscription => {
        try {
          await subscription.onEvent(params);
        } catch (error) {
          subscription.logger.warn(
            `Subscriber '${subscription.id}' failed to handle an event of topic '${params.topic}'`,
            error,
          );
        }
      }),
    );
  }

  #subscribe(options: EventsServiceSubscribeOptions, prefix: string, logger: LoggerService): void {
    const { id, topics, onEvent } = options ?? ({} as never);
    if (typeof id !== 'string' || id === '') {
      throw new InputError('An event subscription needs an id, which names it in logs.');
    }
    if (!Array.isArray(topics) || topics.length === 0 || topics.some(t => typeof t !== 'string')) {
      throw new InputError(
        `Event subscription '${prefix}${id}' needs topics, a non-empty list of strings.`,
      );
    }
    if (typeof onEvent !== 'function') {
      throw new InputError(`Event subscription '${prefix}${id}' needs an onEvent function.`);
    }
    this.#subscriptions.push({ id: `${prefix}${id}`, topics: new Set(topics), onEvent, logger });
  }
}
