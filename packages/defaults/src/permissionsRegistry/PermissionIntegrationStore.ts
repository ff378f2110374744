import { InputError, NotImplementedError } from '@backplane/plugin-api';
import type { Permission, PermissionRule } from '@backplane/plugin-api';
import { assertParamsSchema, paramsSchemaToJsonSchema, validateParams } from './paramsSchema';

/** A resource type registered with its rules and its loader. */
export interface RegisteredResourceType {
  resourceType: string;
  permissions?: Permission[];
  rules: PermissionRule[];
  getResources?(resourceRefs: string[]): Promise<Array<unknown | undefined>>;
}

/** What the metadata endpoint publishes for one rule. */
export interface SerializedRule {
  name: string;
  description: string;
  resourceType: string;
  paramsSchema: Record<string, unknown>;
}

/** A plugin's permissions, rules and resource types, as the permission plugin sees them. */
export class PermissionIntegrationStore {
  readonly #permissions = new Map<string, Permission>();
  readonly #rules = new Map<string, Map<string, PermissionRule>>();
  readonly #serializedRules: SerializedRule[] = [];
  readonly #resourceTypes = new Map<string, RegisteredResourceType>();

  addPermissions(permissions: Permission[]): void {
    for (const permission of permissions) {
      this.#permissions.set(permission.name, permission);
    }
  }

  addPermissionRules(rules: PermissionRule[]): void {
    for (const rule of rules) {
      assertParamsSchema(rule);
      let byName = this.#rules.get(rule.resourceType);
      if (!byName) {
        byName = new Map();
        this.#rules.set(rule.resourceType, byName);
      }
      if (byName.has(rule.name)) {
        throw new Error(
          `Permission rule '${rule.name}' of resource type '${rule.resourceType}' is already registered; rule names must be unique per resource type`,
        );
      }
      byName.set(rule.name, rule);
      this.#serializedRules.push({
        name: rule.name,
        description: rule.description,
        resourceType: rule.resourceType,
        paramsSchema: paramsSchemaToJsonSchema(rule),
      });
    }
  }

  addResourceType(resource: RegisteredResourceType): void {
    if (this.#resourceTypes.has(resource.resourceType)) {
      throw new Error(
        `Permission resource type '${resource.resourceType}' is already registered; register each resource type once`,
      );
    }
    this.#resourceTypes.set(resource.resourceType, resource);
    this.addPermissionRules(resource.rules ?? []);
    this.addPermissions(resource.permissions ?? []);
  }

  getMetadata(): { permissions: Permission[]; rules: SerializedRule[] } {
    return { permissions: [...this.#permissions.values()], rules: [...this.#serializedRules] };
  }

  hasResourceType(resourceType: string): boolean {
    return this.#resourceTypes.has(resourceType);
  }

  getRule(resourceType: string, name: string): PermissionRule {
    const rule = this.#rules.get(resourceType)?.get(name);
    if (!rule) {
      throw new InputError(
        `Permission rule '${name}' does not exist for resource type '${resourceType}'`,
      );
    }
    return rule;
  }

  /** Applies a rule after validating its parameters. */
  applyRule(
    resourceType: string,
    name: string,
    resource: unknown,
    params: Record<string, unknown>,
  ) {
    const rule = this.getRule(resourceType, name);
    validateParams(rule, params);
    return rule.apply(resource, params);
  }

  /** Loads resources by ref, each ref once; the map has `undefined` for unknown refs. */
  async loadResources(resourceType: string, refs: string[]): Promise<Map<string, unknown>> {
    const type = this.#resourceTypes.get(resourceType);
    if (!type?.getResources) {
      throw new NotImplementedError(
        `This plugin cannot evaluate conditions for resource type '${resourceType}': it registered no getResources for it`,
      );
    }
    const unique = [...new Set(refs)];
    const resources = await type.getResources(unique);
    return new Map(unique.map((ref, index) => [ref, resources[index]]));
  }
}
