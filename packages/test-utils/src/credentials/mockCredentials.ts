import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalAccessRestrictions,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backplane/plugin-api';

/** The user of `mockCredentials.user()` when no entity ref is given. */
export const DEFAULT_MOCK_USER_ENTITY_REF = 'user:default/mock';
/** The subject of `mockCredentials.service()` when none is given. */
export const DEFAULT_MOCK_SERVICE_SUBJECT = 'external:test-service';

/** The mock token strings. They are the same as `@backstage/backend-test-utils` uses. */
export const mockTokens = Object.freeze({
  cookieName: 'backstage-auth',
  none: 'mock-none-token',
  user: 'mock-user-token',
  userPrefix: 'mock-user-token:',
  invalidUser: 'mock-invalid-user-token',
  limitedUserPrefix: 'mock-limited-user-token:',
  invalidLimitedUser: 'mock-invalid-limited-user-token',
  service: 'mock-service-token',
  servicePrefix: 'mock-service-token:',
  invalidService: 'mock-invalid-service-token',
});

/** What a mock user token carries after its prefix. */
export interface MockUserTokenPayload {
  sub?: string;
  actor?: { subject: string };
}

/** What a mock service token carries after its prefix. */
export interface MockServiceTokenPayload {
  /** The calling service, when the token is issued on behalf of a service. */
  sub?: string;
  /** The user, when the token is issued on behalf of a user. */
  obo?: string;
  /** The plugin the token is meant for. */
  target?: string;
}

/** Options for `mockCredentials.service.token()`. */
export interface MockServiceTokenOptions {
  onBehalfOf: BackstageCredentials;
  targetPluginId: string;
}

const USER_REF_PATTERN = /^.+:.+\/.+$/;

function checkUserEntityRef(ref: string): void {
  if (!USER_REF_PATTERN.test(ref)) {
    throw new TypeError(
      `Invalid user entity reference '${ref}', expected <kind>:<namespace>/<name>`,
    );
  }
}

function credentialsOf<TPrincipal>(
  principal: TPrincipal,
  description: string,
  token?: string,
): BackstageCredentials<TPrincipal> {
  const credentials = {
    $$type: '@backstage/BackstageCredentials' as const,
    version: 'v1',
    principal,
  };
  Object.defineProperty(credentials, 'toString', {
    enumerable: false,
    configurable: true,
    value: () => `mockCredentials{${description}}`,
  });
  if (token !== undefined) {
    Object.defineProperty(credentials, 'token', {
      enumerable: false,
      configurable: true,
      value: token,
    });
  }
  return credentials;
}

function none(): BackstageCredentials<BackstageNonePrincipal> {
  return credentialsOf({ type: 'none' as const }, 'nonePrincipal');
}

function user(
  userEntityRef: string = DEFAULT_MOCK_USER_ENTITY_REF,
  options?: { actor?: { subject: string } },
): BackstageCredentials<BackstageUserPrincipal> {
  checkUserEntityRef(userEntityRef);
  const principal: BackstageUserPrincipal = { type: 'user', userEntityRef };
  let description = userEntityRef;
  if (options?.actor) {
    principal.actor = { type: 'service', subject: options.actor.subject };
    description += `,actor={${options.actor.subject}}`;
  }
  const isDefault = userEntityRef === DEFAULT_MOCK_USER_ENTITY_REF && !options?.actor;
  const token = isDefault ? userToken() : userToken(userEntityRef, options);
  return credentialsOf(principal, `userPrincipal{${description}}`, token);
}

function userToken(userEntityRef?: string, options?: { actor?: { subject: string } }): string {
  if (!userEntityRef) {
    return mockTokens.user;
  }
  checkUserEntityRef(userEntityRef);
  const payload: MockUserTokenPayload = { sub: userEntityRef };
  if (options?.actor) {
    payload.actor = { subject: options.actor.subject };
  }
  return `${mockTokens.userPrefix}${JSON.stringify(payload)}`;
}

function limitedUserToken(userEntityRef: string = DEFAULT_MOCK_USER_ENTITY_REF): string {
  checkUserEntityRef(userEntityRef);
  const payload: MockUserTokenPayload = { sub: userEntityRef };
  return `${mockTokens.limitedUserPrefix}${JSON.stringify(payload)}`;
}

function service(
  subject: string = DEFAULT_MOCK_SERVICE_SUBJECT,
  accessRestrictions?: BackstagePrincipalAccessRestrictions,
): BackstageCredentials<BackstageServicePrincipal> {
  const principal: BackstageServicePrincipal = { type: 'service', subject };
  let description = subject;
  if (accessRestrictions) {
    principal.accessRestrictions = accessRestrictions;
    description += `,accessRestrictions=${JSON.stringify(accessRestrictions)}`;
  }
  return credentialsOf(principal, `servicePrincipal{${description}}`);
}

function serviceToken(options?: MockServiceTokenOptions): string {
  if (!options) {
    return mockTokens.service;
  }
  const principal = options.onBehalfOf?.principal as
    BackstageUserPrincipal | BackstageServicePrincipal | BackstageNonePrincipal | undefined;
  // Key order is part of the wire format: sub, obo, target.
  const payload: MockServiceTokenPayload = {
    sub: principal?.type === 'service' ? principal.subject : undefined,
    obo: principal?.type === 'user' ? principal.userEntityRef : undefined,
    target: options.targetPluginId,
  };
  return `${mockTokens.servicePrefix}${JSON.stringify(payload)}`;
}

const bearer = (token: string) => `Bearer ${token}`;

/**
 * Credentials, tokens and request headers for tests. The mock `auth` and `httpAuth` services
 * accept exactly these tokens, so a test can call a protected route as a given user or service:
 *
 * ```ts
 * await request(server).get('/api/example/items').set('Authorization', mockCredentials.user.header());
 * ```
 *
 * The strings are the same as those of `@backstage/backend-test-utils`.
 */
export const mockCredentials = {
  /** Credentials of a caller that sent none. */
  none: Object.assign(none, {
    /** An `Authorization` value the mock httpAuth reads as "no credentials". */
    header: (): string => bearer(mockTokens.none),
  }),

  /** Credentials of a user, `user:default/mock` unless another entity ref is given. */
  user: Object.assign(user, {
    /** `mock-user-token`, or `mock-user-token:{"sub":"<ref>"}` for another user. */
    token: userToken,
    /** `Bearer ` + {@link mockCredentials.user.token}. */
    header: (userEntityRef?: string, options?: { actor?: { subject: string } }): string =>
      bearer(userToken(userEntityRef, options)),
    /** A user token that the mock auth rejects with AuthenticationError. */
    invalidToken: (): string => mockTokens.invalidUser,
    invalidHeader: (): string => bearer(mockTokens.invalidUser),
  }),

  /** Credentials of a user signed in through a limited cookie (same principal as `user`). */
  limitedUser: Object.assign(
    (userEntityRef: string = DEFAULT_MOCK_USER_ENTITY_REF) => user(userEntityRef),
    {
      /** `mock-limited-user-token:{"sub":"<ref>"}`; accepted only where limited access is allowed. */
      token: limitedUserToken,
      /** A `Cookie` header value carrying the limited token. */
      cookie: (userEntityRef?: string): string =>
        `${mockTokens.cookieName}=${limitedUserToken(userEntityRef)}`,
      invalidToken: (): string => mockTokens.invalidLimitedUser,
      invalidCookie: (): string => `${mockTokens.cookieName}=${mockTokens.invalidLimitedUser}`,
    },
  ),

  /** Credentials of a service, `external:test-service` unless another subject is given. */
  service: Object.assign(service, {
    /** `mock-service-token`, or a token for `targetPluginId` on behalf of the given credentials. */
    token: serviceToken,
    header: (options?: MockServiceTokenOptions): string => bearer(serviceToken(options)),
    /** A service token that the mock auth rejects with AuthenticationError. */
    invalidToken: (): string => mockTokens.invalidService,
    invalidHeader: (): string => bearer(mockTokens.invalidService),
  }),
};
