import { AuthenticationError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalTypes,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backplane/plugin-api';
import {
  DEFAULT_MOCK_SERVICE_SUBJECT,
  mockCredentials,
  mockTokens,
  type MockServiceTokenPayload,
  type MockUserTokenPayload,
} from './mockCredentials';

/** Options for {@link MockAuthService}. */
export interface MockAuthServiceOptions {
  /** The plugin the service belongs to; service tokens must target it. */
  pluginId: string;
  /** Mirrors `backend.auth.dangerouslyDisableDefaultAuthPolicy`: calls on behalf of nobody get an empty token. */
  disableDefaultAuthPolicy?: boolean;
}

type AnyPrincipal = BackstageUserPrincipal | BackstageServicePrincipal | BackstageNonePrincipal;

const LIMITED_TOKEN_TTL_MS = 3600_000;

function parsePayload<T>(token: string, prefix: string): T {
  try {
    return JSON.parse(token.slice(prefix.length)) as T;
  } catch (error) {
    throw new AuthenticationError(
      `Invalid mock token '${token}': the JSON payload does not parse`,
      error,
    );
  }
}

/**
 * An AuthService that accepts the tokens of {@link mockCredentials} and nothing else, with no keys,
 * database or network. Unknown and "invalid" mock tokens are rejected with AuthenticationError.
 */
export class MockAuthService implements AuthService {
  readonly #pluginId: string;
  readonly #disableDefaultAuthPolicy: boolean;

  constructor(options: MockAuthServiceOptions) {
    this.#pluginId = options.pluginId;
    this.#disableDefaultAuthPolicy = options.disableDefaultAuthPolicy ?? false;
  }

  async authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials> {
    if (!token) {
      throw new AuthenticationError('Token is empty');
    }

    switch (token) {
      case mockTokens.user:
        return mockCredentials.user();
      case mockTokens.service:
        return mockCredentials.service();
      case mockTokens.invalidUser:
        throw new AuthenticationError('User token is invalid');
      case mockTokens.invalidLimitedUser:
        throw new AuthenticationError('Limited user token is invalid');
      case mockTokens.invalidService:
        throw new AuthenticationError('Service token is invalid');
      default:
        break;
    }

    if (token.startsWith(mockTokens.userPrefix)) {
      const { sub, actor } = parsePayload<MockUserTokenPayload>(token, mockTokens.userPrefix);
      return mockCredentials.user(sub, actor ? { actor } : undefined);
    }

    if (token.startsWith(mockTokens.limitedUserPrefix)) {
      if (!options?.allowLimitedAccess) {
        throw new AuthenticationError('Limited user token is not allowed');
      }
      const { sub } = parsePayload<MockUserTokenPayload>(token, mockTokens.limitedUserPrefix);
      return mockCredentials.user(sub);
    }

    if (token.startsWith(mockTokens.servicePrefix)) {
      const payload = parsePayload<MockServiceTokenPayload>(token, mockTokens.servicePrefix);
      if (payload.target && payload.target !== this.#pluginId) {
        throw new AuthenticationError(
          `Invalid mock token target plugin ID, got '${payload.target}' but expected '${this.#pluginId}'`,
        );
      }
      if (payload.obo) {
        return mockCredentials.user(payload.obo);
      }
      return mockCredentials.service(payload.sub ?? DEFAULT_MOCK_SERVICE_SUBJECT);
    }

    throw new AuthenticationError(`Unknown mock token '${token}'`);
  }

  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]> {
    const principal = credentials.principal as AnyPrincipal;
    return type === 'unknown' || principal.type === type;
  }

  async getNoneCredentials(): Promise<BackstageCredentials<BackstageNonePrincipal>> {
    return mockCredentials.none();
  }

  async getOwnServiceCredentials(): Promise<BackstageCredentials<BackstageServicePrincipal>> {
    return mockCredentials.service(`plugin:${this.#pluginId}`);
  }

  async getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }> {
    const principal = options.onBehalfOf.principal as AnyPrincipal;
    if (principal.type === 'none' && this.#disableDefaultAuthPolicy) {
      return { token: '' };
    }
    if (principal.type !== 'user' && principal.type !== 'service') {
      throw new AuthenticationError(
        `Refused to issue service token for credential type '${principal.type}'`,
      );
    }
    return { token: mockCredentials.service.token(options) };
  }

  async getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }> {
    const principal = credentials.principal as AnyPrincipal;
    if (principal.type !== 'user') {
      throw new AuthenticationError(
        `Refused to issue limited user token for credential type '${principal.type}'`,
      );
    }
    return {
      token: mockCredentials.limitedUser.token(principal.userEntityRef),
      expiresAt: new Date(Date.now() + LIMITED_TOKEN_TTL_MS),
    };
  }

  async listPublicServiceKeys(): Promise<{ keys: Array<Record<string, unknown>> }> {
    return { keys: [] };
  }
}
