import { ForwardedError, InputError } from '@backplane/plugin-api';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
  AuditorServiceEventSeverityLevel,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  JsonObject,
  LoggerService,
} from '@backplane/plugin-api';
import type { SeverityLogLevelMappings } from './readSeverityLogLevelMappings';

/** Who caused an audit event. */
export interface AuditorEventActor {
  /** `user:<namespace>/<name>` for users, the subject (like `plugin:catalog`) for services. */
  actorId?: string;
  ip?: string;
  hostname?: string;
  userAgent?: string;
}

/** One audit log entry, as written to the logger. */
export interface AuditorEventEntry {
  isAuditEvent: true;
  eventId: string;
  severityLevel: AuditorServiceEventSeverityLevel;
  plugin: string;
  actor: AuditorEventActor;
  request?: { url: string; method: string };
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
  /** The error of a failed event, as its `String()` form. */
  error?: string;
}

const SEVERITIES: readonly AuditorServiceEventSeverityLevel[] = [
  'low',
  'medium',
  'high',
  'critical',
];

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Writes audit events of one plugin as structured log entries (`isAuditEvent: true`), at the
 * log level configured for their severity.
 */
export class DefaultAuditorService implements AuditorService {
  readonly #pluginId: string;
  readonly #logger: LoggerService;
  readonly #auth: AuthService;
  readonly #httpAuth: HttpAuthService;
  readonly #levels: SeverityLogLevelMappings;

  /** Creates the auditor of a plugin. */
  static create(options: {
    pluginId: string;
    logger: LoggerService;
    auth: AuthService;
    httpAuth: HttpAuthService;
    levels: SeverityLogLevelMappings;
  }): DefaultAuditorService {
    return new DefaultAuditorService(options);
  }

  private constructor(options: {
    pluginId: string;
    logger: LoggerService;
    auth: AuthService;
    httpAuth: HttpAuthService;
    levels: SeverityLogLevelMappings;
  }) {
    this.#pluginId = options.pluginId;
    this.#logger = options.logger;
    this.#auth = options.auth;
    this.#httpAuth = options.httpAuth;
    this.#levels = options.levels;
  }

  async createEvent(options: AuditorServiceCreateEventOptions): Promise<AuditorServiceEvent> {
    const { eventId, severityLevel = 'low', request, meta } = options ?? ({} as never);
    if (typeof eventId !== 'string' || eventId.trim() === '') {
      throw new InputError(
        `Audit event of plugin '${this.#pluginId}' needs an eventId, a short kebab-case name like 'item-create'.`,
      );
    }
    if (!SEVERITIES.includes(severityLevel)) {
      throw new InputError(
        `Audit event '${eventId}' of plugin '${this.#pluginId}' has severityLevel '${String(severityLevel)}'; ` +
          `use one of ${SEVERITIES.map(s => `'${s}'`).join(', ')}.`,
      );
    }

    const base = withoutUndefined({
      isAuditEvent: true as const,
      eventId,
      severityLevel,
      plugin: this.#pluginId,
      actor: withoutUndefined({
        actorId: await this.#actorId(eventId, options.credentials, request),
        ip: request?.ip ?? request?.socket?.remoteAddress,
        hostname: request?.hostname,
        userAgent: request?.get?.('user-agent') ?? undefined,
      }),
      request: request
        ? { url: request.originalUrl ?? request.url, method: request.method }
        : undefined,
    });
    const write = (entry: Omit<AuditorEventEntry, keyof typeof base>, extraMeta?: JsonObject) => {
      const merged = { ...meta, ...extraMeta };
      const full: AuditorEventEntry = withoutUndefined({
        ...base,
        meta: Object.keys(merged).length > 0 ? merged : undefined,
        ...entry,
      });
      this.#logger[this.#levels[severityLevel]](`${this.#pluginId}.${eventId}`, full);
    };

    if (severityLevel !== 'low') {
      write({ status: 'initiated' });
    }
    return {
      success: async params => write({ status: 'succeeded' }, params?.meta),
      fail: async params => write({ status: 'failed', error: String(params?.error) }, params?.meta),
    };
  }

  async #actorId(
    eventId: string,
    credentials: BackstageCredentials | undefined,
    request: AuditorServiceCreateEventOptions['request'],
  ): Promise<string | undefined> {
    let actor = credentials;
    if (!actor && request) {
      try {
        actor = await this.#httpAuth.credentials(request);
      } catch (error) {
        throw new ForwardedError(
          `Audit event '${eventId}' of plugin '${this.#pluginId}' could not read the credentials of its request`,
          error,
        );
      }
    }
    actor ??= await this.#auth.getOwnServiceCredentials();
    if (this.#auth.isPrincipal(actor, 'user')) {
      return actor.principal.userEntityRef;
    }
    if (this.#auth.isPrincipal(actor, 'service')) {
      return actor.principal.subject;
    }
    return undefined;
  }
}
