import type { Request } from 'express';
import type { BackstageCredentials } from './AuthService';
import type { JsonObject } from './CacheService';

/** How severe an audited event is. */
export type AuditorServiceEventSeverityLevel = 'low' | 'medium' | 'high' | 'critical';

/** Options for {@link AuditorService.createEvent}. */
export interface AuditorServiceCreateEventOptions {
  /** A short kebab-case id for what happened, like `item-create`. */
  eventId: string;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The request that caused the event; the actor is read from its credentials. */
  request?: Request<any, any, any, any, any>;
  /** Credentials of the actor, when there is no request. */
  credentials?: BackstageCredentials;
  meta?: JsonObject;
}

/** An event under way; finish it with `success` or `fail`. */
export interface AuditorServiceEvent {
  success(options?: { meta?: JsonObject }): Promise<void>;
  fail(options: { error: Error; meta?: JsonObject }): Promise<void>;
}

/** Records who did what, structured, for audit. */
export interface AuditorService {
  createEvent(options: AuditorServiceCreateEventOptions): Promise<AuditorServiceEvent>;
}
