/** A principal that is a signed-in user. */
export interface BackstageUserPrincipal {
  type: 'user';
  /** The user's entity ref, for example `user:default/alice`. */
  userEntityRef: string;
  /** The service acting on the user's behalf, when there is one. */
  actor?: BackstageServicePrincipal;
}

/** Limits placed on what a service principal may do. */
export interface BackstagePrincipalAccessRestrictions {
  permissionNames?: string[];
  permissionAttributes?: { action?: Array<'create' | 'read' | 'update' | 'delete'> };
}

/** A principal that is a service: another plugin (`plugin:<id>`) or an external caller. */
export interface BackstageServicePrincipal {
  type: 'service';
  subject: string;
  accessRestrictions?: BackstagePrincipalAccessRestrictions;
}

/** The principal of a request that carried no credentials. */
export interface BackstageNonePrincipal {
  type: 'none';
}

/** Principal types by name, as used in `allow` lists. */
export type BackstagePrincipalTypes = {
  user: BackstageUserPrincipal;
  service: BackstageServicePrincipal;
  none: BackstageNonePrincipal;
  unknown: unknown;
};

/** Verified credentials of a caller. */
export interface BackstageCredentials<TPrincipal = unknown> {
  $$type: '@backstage/BackstageCredentials';
  expiresAt?: Date;
  principal: TPrincipal;
}

/** Checks tokens, and makes tokens for calling other plugins. */
export interface AuthService {
  authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials>;
  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]>;
  getNoneCredentials(): Promise<BackstageCredentials<BackstageNonePrincipal>>;
  getOwnServiceCredentials(): Promise<BackstageCredentials<BackstageServicePrincipal>>;
  getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }>;
  getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }>;
  listPublicServiceKeys(): Promise<{ keys: Array<Record<string, unknown>> }>;
}
