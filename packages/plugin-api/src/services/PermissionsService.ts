import type { BackstageCredentials } from './AuthService';

/** A permission, as defined with `createPermission` of `@backstage/plugin-permission-common`. */
export type Permission = {
  name: string;
  attributes: { action?: 'create' | 'read' | 'update' | 'delete' };
  type: 'basic' | 'resource';
  resourceType?: string;
};

/** The result of an authorize call. */
export type AuthorizeResult = 'ALLOW' | 'DENY' | 'CONDITIONAL';

/** One question for {@link PermissionsService.authorize}. */
export type AuthorizePermissionRequest = { permission: Permission; resourceRef?: string };
/** One answer of {@link PermissionsService.authorize}. */
export type AuthorizePermissionResponse = { result: 'ALLOW' | 'DENY' };
/** One question for {@link PermissionsService.authorizeConditional}. */
export type QueryPermissionRequest = {
  permission: Permission & { type: 'resource' };
  resourceRef?: undefined;
};
/** One answer of {@link PermissionsService.authorizeConditional}. */
export type QueryPermissionResponse =
  | { result: 'ALLOW' | 'DENY' }
  | {
      result: 'CONDITIONAL';
      pluginId: string;
      resourceType: string;
      conditions: unknown;
    };

/** Options for permission calls. */
export interface PermissionsServiceRequestOptions {
  credentials: BackstageCredentials;
}

/** Decides whether the caller may do something. */
export interface PermissionsService {
  authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]>;
  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]>;
}
