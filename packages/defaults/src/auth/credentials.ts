import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalAccessRestrictions,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backplane/plugin-api';

/**
 * The runtime form of credentials: the public shape plus `version` and the non-enumerable
 * `token` the credentials were made from, exactly as the official runtime carries them.
 */
export type InternalBackstageCredentials<TPrincipal = unknown> =
  BackstageCredentials<TPrincipal> & {
    version: 'v1';
    token?: string;
  };

type AnyPrincipal = BackstageUserPrincipal | BackstageServicePrincipal | BackstageNonePrincipal;

function withHiddenToken<T extends object>(value: T, token: string | undefined): T {
  Object.defineProperty(value, 'token', {
    enumerable: false,
    configurable: true,
    writable: false,
    value: token,
  });
  return value;
}

/** Credentials of a service principal (another plugin or an external caller). */
export function createServiceCredentials(
  subject: string,
  options: { token?: string; accessRestrictions?: BackstagePrincipalAccessRestrictions } = {},
): InternalBackstageCredentials<BackstageServicePrincipal> {
  const principal: BackstageServicePrincipal = { type: 'service', subject };
  if (options.accessRestrictions) {
    principal.accessRestrictions = options.accessRestrictions;
  }
  return withHiddenToken(
    { $$type: '@backstage/BackstageCredentials', version: 'v1', principal } as const,
    options.token,
  ) as InternalBackstageCredentials<BackstageServicePrincipal>;
}

/** Credentials of a user principal; `actor` is the plugin that called on the user's behalf. */
export function createUserCredentials(options: {
  userEntityRef: string;
  token: string;
  expiresAt?: Date;
  actorSubject?: string;
}): InternalBackstageCredentials<BackstageUserPrincipal> {
  const principal: BackstageUserPrincipal = { type: 'user', userEntityRef: options.userEntityRef };
  if (options.actorSubject) {
    principal.actor = { type: 'service', subject: options.actorSubject };
  }
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    version: 'v1',
    expiresAt: options.expiresAt,
    principal,
  } as const;
  return withHiddenToken(
    credentials,
    options.token,
  ) as InternalBackstageCredentials<BackstageUserPrincipal>;
}

/** Credentials of a request that carried no token. */
export function createNoneCredentials(): InternalBackstageCredentials<BackstageNonePrincipal> {
  return {
    $$type: '@backstage/BackstageCredentials',
    version: 'v1',
    principal: { type: 'none' },
  };
}

/**
 * Checks that `credentials` were made by a compatible runtime and gives access to the internal
 * fields. Throws a TypeError naming what is wrong otherwise.
 */
export function toInternalCredentials(
  credentials: BackstageCredentials,
): InternalBackstageCredentials<AnyPrincipal> {
  if (!credentials || credentials.$$type !== '@backstage/BackstageCredentials') {
    throw new TypeError(
      "Invalid credentials: expected an object with $$type '@backstage/BackstageCredentials', as returned by auth.authenticate() or httpAuth.credentials()",
    );
  }
  const internal = credentials as InternalBackstageCredentials<AnyPrincipal>;
  if (internal.version !== 'v1') {
    throw new TypeError(
      `Invalid credentials: unsupported version '${String(internal.version)}', expected 'v1'`,
    );
  }
  return internal;
}
