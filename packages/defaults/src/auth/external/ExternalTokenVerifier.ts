import { NotAllowedError } from '@backplane/plugin-api';
import type {
  BackstagePrincipalAccessRestrictions,
  Config,
  LoggerService,
} from '@backplane/plugin-api';
import type { JwksCache } from '../JwksCache';
import {
  createJwksTokenHandler,
  createLegacyContext,
  legacyTokenHandler,
  staticTokenHandler,
  type BuiltinInitContext,
} from './builtinHandlers';
import { readAccessRestrictions, type AccessRestrictionsMap } from './readAccessRestrictions';
import type { ExternalTokenHandler } from './types';

const ENTRIES_KEY = 'backend.auth.externalAccess';
const LEGACY_KEYS_KEY = 'backend.auth.keys';
/**
 * The subject of tokens signed with the deprecated `backend.auth.keys`, as on the official runtime.
 */
const LEGACY_SUBJECT = 'external:backstage-plugin';

type Entry = {
  handler: ExternalTokenHandler<unknown>;
  context: unknown;
  restrictions?: AccessRestrictionsMap;
};

/** The result of a verified external token. */
export interface ExternalTokenResult {
  subject: string;
  accessRestrictions?: BackstagePrincipalAccessRestrictions;
  tokenClaims?: Record<string, unknown>;
}

/**
 * Checks tokens of outside callers against `backend.auth.externalAccess` (and the deprecated
 * `backend.auth.keys`), enforcing each entry's `accessRestrictions` for this plugin.
 */
export class ExternalTokenVerifier {
  readonly #ownPluginId: string;
  readonly #entries: Entry[];

  private constructor(ownPluginId: string, entries: Entry[]) {
    this.#ownPluginId = ownPluginId;
    this.#entries = entries;
  }

  static fromConfig(options: {
    ownPluginId: string;
    config: Config;
    logger: LoggerService;
    jwks: JwksCache;
    customHandlers?: ExternalTokenHandler<unknown>[];
  }): ExternalTokenVerifier {
    const { config, logger } = options;
    const handlers = new Map<string, ExternalTokenHandler<unknown>>();
    for (const handler of [
      staticTokenHandler,
      legacyTokenHandler,
      createJwksTokenHandler(options.jwks),
      ...(options.customHandlers ?? []),
    ] as ExternalTokenHandler<unknown>[]) {
      if (handlers.has(handler.type)) {
        throw new Error(
          `Duplicate external token handler type '${handler.type}': each handler given to ` +
            'externalTokenHandlersServiceRef needs a unique type',
        );
      }
      handlers.set(handler.type, handler);
    }

    const entries: Entry[] = [];
    const seenStatic = new Set<string>();
    (config.getOptionalConfigArray(ENTRIES_KEY) ?? []).forEach((entryConfig, index) => {
      const where = `${ENTRIES_KEY}[${index}]`;
      const type = entryConfig.getString('type');
      const handler = handlers.get(type);
      if (!handler) {
        throw new Error(
          `Invalid config '${where}.type': unknown type '${type}', expected one of ` +
            `'${[...handlers.keys()].join("', '")}'`,
        );
      }
      const initContext: BuiltinInitContext = {
        options: entryConfig.getConfig('options'),
        where: `${where}.options`,
      };
      const context = handler.initialize(initContext);
      if (type === 'static') {
        const token = (context as { token: string }).token;
        if (seenStatic.has(token)) {
          throw new Error(
            `Invalid config '${where}.options.token': the same static token is configured twice`,
          );
        }
        seenStatic.add(token);
      }
      entries.push({ handler, context, restrictions: readAccessRestrictions(entryConfig, where) });
    });

    const legacyKeys = config.getOptionalConfigArray(LEGACY_KEYS_KEY) ?? [];
    if (legacyKeys.length > 0) {
      logger.warn(
        `Config '${LEGACY_KEYS_KEY}' is deprecated; use '${ENTRIES_KEY}' entries of type 'legacy'`,
      );
    }
    legacyKeys.forEach((keyConfig, index) => {
      const where = `${LEGACY_KEYS_KEY}[${index}]`;
      const context = createLegacyContext(keyConfig.getString('secret'), LEGACY_SUBJECT, where);
      entries.push({ handler: legacyTokenHandler as ExternalTokenHandler<unknown>, context });
    });

    return new ExternalTokenVerifier(options.ownPluginId, entries);
  }

  /** Undefined when no entry knows the token; NotAllowedError when it may not call this plugin. */
  async verifyToken(token: string): Promise<ExternalTokenResult | undefined> {
    for (const { handler, context, restrictions } of this.#entries) {
      const result = await handler.verifyToken(token, context);
      if (!result) {
        continue;
      }
      if (!restrictions) {
        return result;
      }
      const own = restrictions.get(this.#ownPluginId);
      if (!own) {
        const allowed = [...restrictions.keys()].map(id => `'${id}'`).join(', ');
        throw new NotAllowedError(
          `This token's access is restricted to plugin(s) ${allowed}, ` +
            `so it may not call plugin '${this.#ownPluginId}'`,
        );
      }
      const hasRestrictions = own.permissionNames || own.permissionAttributes;
      return hasRestrictions ? { ...result, accessRestrictions: own } : result;
    }
    return undefined;
  }
}
