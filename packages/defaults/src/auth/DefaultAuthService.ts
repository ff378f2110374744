import { AuthenticationError, InputError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalTypes,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  LoggerService,
} from '@backplane/plugin-api';
import {
  createNoneCredentials,
  createServiceCredentials,
  createUserCredentials,
  toInternalCredentials,
} from './credentials';
import type { ExternalTokenVerifier } from './external/ExternalTokenVerifier';
import type { PluginKeySource } from './keys/types';
import { looksLikeJwt } from './looksLikeJwt';
import type { PluginTokenHandler } from './PluginTokenHandler';
import { MAX_TOKEN_LENGTH, PLUGIN_ID_PATTERN } from './tokenTypes';
import { UnreachableKeysError } from './UnreachableKeysError';
import type { UserTokenHandler } from './UserTokenHandler';
import { VerifiedTokenCache, type VerifiedToken } from './VerifiedTokenCache';

/** Warn about the unreachable keys of one issuing plugin at most this often. */
const UNREACHABLE_KEYS_WARNING_INTERVAL_MS = 5 * 60 * 1000;
/** Issuers remembered for that; tokens can name any plugin id, so the map is bounded. */
const MAX_WARNED_ISSUERS = 256;

/**
 * The default auth service of a plugin. `authenticate` tries, in order: a plugin token meant for
 * this plugin, a user token of the auth plugin, then the configured external access entries.
 */
export class DefaultAuthService implements AuthService {
  readonly #pluginId: string;
  readonly #pluginTokens: PluginTokenHandler;
  readonly #userTokens: UserTokenHandler;
  readonly #externalTokens: ExternalTokenVerifier;
  readonly #keySource: PluginKeySource;
  readonly #disableDefaultAuthPolicy: boolean;
  readonly #verifiedTokens = new VerifiedTokenCache();
  readonly #logger: LoggerService;
  readonly #lastWarnedAt = new Map<string, number>();

  constructor(options: {
    pluginId: string;
    pluginTokens: PluginTokenHandler;
    userTokens: UserTokenHandler;
    externalTokens: ExternalTokenVerifier;
    keySource: PluginKeySource;
    disableDefaultAuthPolicy: boolean;
    /** The plugin's logger, for warnings about token issuers whose keys cannot be fetched. */
    logger: LoggerService;
  }) {
    this.#pluginId = options.pluginId;
    this.#pluginTokens = options.pluginTokens;
    this.#userTokens = options.userTokens;
    this.#externalTokens = options.externalTokens;
    this.#keySource = options.keySource;
    this.#disableDefaultAuthPolicy = options.disableDefaultAuthPolicy;
    this.#logger = options.logger;
  }

  async authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new AuthenticationError('Illegal token');
    }

    let verified = this.#verifiedTokens.get(token);
    if (!verified) {
      try {
        verified = await this.#verify(token);
      } catch (error) {
        if (error instanceof UnreachableKeysError) {
          this.#warnAboutUnreachableKeys(error);
        }
        throw error;
      }
    }
    if (verified.type === 'service') {
      return createServiceCredentials(verified.subject, {
        token,
        accessRestrictions: verified.accessRestrictions,
      });
    }
    if (verified.limited && !options?.allowLimitedAccess) {
      throw new AuthenticationError('Illegal limited user token');
    }
    return createUserCredentials({
      userEntityRef: verified.userEntityRef,
      token: verified.userToken,
      expiresAt: verified.expiresAt,
      actorSubject: verified.actorSubject,
    });
  }

  async #verify(token: string): Promise<VerifiedToken> {
    // A token that cannot be a JWT (a static token, usually) skips the JWT checks, which would
    // reject it anyway, so that verifying it never loads the JWT library.
    const jwtResult = looksLikeJwt(token) ? await this.#verifyJwt(token) : undefined;
    if (jwtResult) {
      return jwtResult;
    }

    // External tokens are not cached: a static token is a map lookup, and the others may expire
    // at a time the verifier does not report.
    const externalResult = await this.#externalTokens.verifyToken(token);
    if (externalResult) {
      return {
        type: 'service',
        subject: externalResult.subject,
        accessRestrictions: externalResult.accessRestrictions,
      };
    }

    throw new AuthenticationError('Illegal token');
  }

  /** A plugin token for this plugin, then a user token; undefined when it is neither. */
  async #verifyJwt(token: string): Promise<VerifiedToken | undefined> {
    const pluginResult = await this.#pluginTokens.verifyToken(token);
    if (pluginResult) {
      if (pluginResult.limitedUserToken === undefined) {
        return this.#verifiedTokens.set(token, {
          type: 'service',
          subject: pluginResult.subject,
          expiresAt: pluginResult.expiresAt,
        });
      }
      const obo = pluginResult.limitedUserToken;
      const userResult = await this.#userTokens.verifyToken(obo).catch(error => {
        const message =
          `Invalid plugin token from '${pluginResult.subject}': ` +
          "the user token in its 'obo' claim is not valid";
        if (error instanceof UnreachableKeysError) {
          throw new UnreachableKeysError(message, error.issuerPluginId, error.keysError);
        }
        throw new AuthenticationError(message, error);
      });
      if (!userResult) {
        throw new AuthenticationError(
          `Invalid plugin token from '${pluginResult.subject}': ` +
            "its 'obo' claim is not a user token",
        );
      }
      return this.#verifiedTokens.set(token, {
        type: 'user',
        userEntityRef: userResult.userEntityRef,
        userToken: obo,
        expiresAt: userResult.expiresAt,
        limited: false,
        actorSubject: pluginResult.subject,
      });
    }

    const userResult = await this.#userTokens.verifyToken(token);
    if (userResult) {
      return this.#verifiedTokens.set(token, {
        type: 'user',
        userEntityRef: userResult.userEntityRef,
        userToken: token,
        expiresAt: userResult.expiresAt,
        limited: userResult.limited,
      });
    }
    return undefined;
  }

  /**
   * The caller only learns that its token is invalid; the operator of this backend learns why and
   * what to change, once per issuing plugin per interval, however many requests fail.
   */
  #warnAboutUnreachableKeys(error: UnreachableKeysError): void {
    const issuer = error.issuerPluginId;
    const now = Date.now();
    const last = this.#lastWarnedAt.get(issuer);
    if (last !== undefined && now - last < UNREACHABLE_KEYS_WARNING_INTERVAL_MS) {
      return;
    }
    this.#lastWarnedAt.delete(issuer);
    this.#lastWarnedAt.set(issuer, now);
    if (this.#lastWarnedAt.size > MAX_WARNED_ISSUERS) {
      this.#lastWarnedAt.delete(this.#lastWarnedAt.keys().next().value as string);
    }
    this.#logger.warn(
      `Rejected a token issued by plugin '${issuer}': its public keys could not be fetched ` +
        `(${error.keysError.message}). Most likely plugin '${issuer}' is not hosted on this ` +
        `backend; list it under 'discovery.endpoints' with the URL of the backend that hosts it`,
      error.keysError,
    );
  }

  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]> {
    if (type === 'unknown') {
      return true;
    }
    return (credentials.principal as { type?: string } | undefined)?.type === type;
  }

  async getNoneCredentials(): Promise<BackstageCredentials<BackstageNonePrincipal>> {
    return createNoneCredentials();
  }

  async getOwnServiceCredentials(): Promise<BackstageCredentials<BackstageServicePrincipal>> {
    return createServiceCredentials(`plugin:${this.#pluginId}`);
  }

  async getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }> {
    const { targetPluginId } = options;
    if (typeof targetPluginId !== 'string' || !PLUGIN_ID_PATTERN.test(targetPluginId)) {
      throw new InputError(
        `Cannot issue a plugin request token: '${String(targetPluginId)}' is not a plugin id`,
      );
    }
    const credentials = toInternalCredentials(options.onBehalfOf);
    const type = credentials.principal.type;

    if (type === 'service') {
      return this.#pluginTokens.issueToken({ targetPluginId });
    }
    if (type === 'user') {
      if (!credentials.token) {
        throw new AuthenticationError(
          `Cannot call plugin '${targetPluginId}' on behalf of user ` +
            `'${credentials.principal.userEntityRef}': the credentials carry no token; ` +
            'use credentials from httpAuth.credentials() or auth.authenticate()',
        );
      }
      const limited = await this.#userTokens.createLimitedUserToken(credentials.token);
      return this.#pluginTokens.issueToken({
        targetPluginId,
        onBehalfOf: { limitedUserToken: limited.token, expiresAt: limited.expiresAt },
      });
    }
    if (type === 'none' && this.#disableDefaultAuthPolicy) {
      // Unauthenticated callers stay unauthenticated downstream: an empty token.
      return { token: '' };
    }
    throw new AuthenticationError(
      `Refused to issue a plugin request token for '${String(type)}' credentials to call plugin ` +
        `'${targetPluginId}'; call on behalf of the request's user or of ` +
        'auth.getOwnServiceCredentials()',
    );
  }

  async getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }> {
    const internal = toInternalCredentials(credentials);
    if (internal.principal.type !== 'user' || !internal.token) {
      throw new AuthenticationError(
        'Cannot create a limited user token: the credentials are not user credentials with a token',
      );
    }
    return this.#userTokens.createLimitedUserToken(internal.token);
  }

  async listPublicServiceKeys(): Promise<{ keys: Array<Record<string, unknown>> }> {
    const { keys } = await this.#keySource.listKeys();
    return { keys: keys.map(entry => ({ ...entry.key })) };
  }
}
