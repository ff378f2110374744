import type { Permission } from './PermissionsService';

/** A rule that a permission policy can use in conditions on a resource type. */
export interface PermissionRule<
  TResource = unknown,
  TQuery = unknown,
  TResourceType extends string = string,
  TParams = any,
> {
  name: string;
  description: string;
  resourceType: TResourceType;
  paramsSchema?: unknown;
  apply(resource: TResource, params: TParams): boolean;
  toQuery(params: TParams): TQuery;
}

/** The set of rules of one resource type. */
export interface PermissionRuleset<
  TResource = unknown,
  TQuery = unknown,
  TResourceType extends string = string,
> {
  getRuleByName(name: string): PermissionRule<TResource, TQuery, TResourceType>;
}

/** A reference to a resource type made with `createPermissionResourceRef`. */
export interface PermissionResourceRef<
  TResource = unknown,
  TQuery = unknown,
  TResourceType extends string = string,
  TPluginId extends string = string,
> {
  readonly $$type: '@backstage/PermissionResourceRef';
  readonly pluginId: TPluginId;
  readonly resourceType: TResourceType;
  readonly TQuery?: TQuery;
  readonly TResource?: TResource;
}

/** Registers the plugin's permissions, rules and resource types for the permission framework. */
export interface PermissionsRegistryService {
  addPermissions(permissions: Permission[]): void;
  addPermissionRules(rules: PermissionRule[]): void;
  addResourceType<TResource, TQuery, TResourceType extends string>(resource: {
    resourceRef?: PermissionResourceRef<TResource, TQuery, TResourceType>;
    resourceType?: TResourceType;
    permissions?: Permission[];
    rules: PermissionRule<TResource, TQuery, TResourceType>[];
    getResources?(resourceRefs: string[]): Promise<Array<TResource | undefined>>;
  }): void;
  getPermissionRuleset<TResource, TQuery, TResourceType extends string>(
    resourceRef: PermissionResourceRef<TResource, TQuery, TResourceType>,
  ): PermissionRuleset<TResource, TQuery, TResourceType>;
}
