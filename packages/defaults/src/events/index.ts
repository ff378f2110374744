export { eventsServiceFactory } from './eventsServiceFactory';
export { eventsServiceRef } from './EventsService';
export type {
  EventParams,
  EventsService,
  EventsServiceEventHandler,
  EventsServiceSubscribeOptions,
} from './EventsService';
export { DefaultEventsService } from './DefaultEventsService';
