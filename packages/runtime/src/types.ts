/**
 * The runtime's view of the wire format. Every shape is duck-typed so that features built with
 * `@backplane/plugin-api` and with `@backstage/backend-plugin-api` (any copy) are read the same.
 */

/** A service ref as found in deps records: matched by `id` only. */
export interface RefLike {
  $$type: '@backstage/ServiceRef';
  id: string;
  scope: 'root' | 'plugin';
  multiton?: boolean;
  __defaultFactory?: (ref: RefLike) => Promise<unknown>;
}

/** An extension point ref: matched by `id` only. */
export interface ExtensionPointLike {
  $$type: '@backstage/ExtensionPoint';
  id: string;
}

/** A service factory feature. */
export interface FactoryLike {
  service: RefLike;
  deps: Record<string, RefLike>;
  initialization?: 'always' | 'lazy';
  factory(deps: Record<string, unknown>, context: unknown): unknown;
  createRootContext?(deps: Record<string, unknown>): unknown;
}

/** A feature loader feature. */
export interface LoaderLike {
  description?: string;
  deps?: Record<string, RefLike>;
  loader(deps: Record<string, unknown>): unknown;
}

/** The context passed to an extension point factory, once per consuming module. */
export interface ExtensionPointFactoryContext {
  reportModuleStartupFailure(options: { error: Error }): void;
}

/** An extension point registered by a plugin or module, in the current form. */
export interface ExtensionPointProvision {
  extensionPoint: ExtensionPointLike;
  factory(context: ExtensionPointFactoryContext): unknown;
}

/** A plugin or module registration, normalised from either registration family. */
export interface Registration {
  kind: 'plugin' | 'module';
  pluginId: string;
  /** Set for modules only. */
  moduleId?: string;
  extensionPoints: ExtensionPointProvision[];
  init: { deps: Record<string, unknown>; func(deps: Record<string, unknown>): unknown };
  /** Where the feature came from, for messages. */
  source: string;
}

/** A feature after unwrapping, sorted by what it does. */
export type ClassifiedFeature =
  | { kind: 'service'; factory: FactoryLike }
  | { kind: 'registrations'; feature: { getRegistrations(): unknown } }
  | { kind: 'loader'; loader: LoaderLike };

/** True for a service ref of any copy of either library. */
export function isServiceRef(value: unknown): value is RefLike {
  return (
    isObjectLike(value) &&
    (value as { $$type?: unknown }).$$type === '@backstage/ServiceRef' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/** True for an extension point ref of any copy of either library. */
export function isExtensionPoint(value: unknown): value is ExtensionPointLike {
  return (
    isObjectLike(value) &&
    (value as { $$type?: unknown }).$$type === '@backstage/ExtensionPoint' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/** True for objects and functions (features may be callable). */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** `plugin 'x'` or `module 'm' of plugin 'x'`. */
export function describeRegistration(reg: Pick<Registration, 'kind' | 'pluginId' | 'moduleId'>) {
  return reg.kind === 'plugin'
    ? `plugin '${reg.pluginId}'`
    : `module '${reg.moduleId}' of plugin '${reg.pluginId}'`;
}

/** Upper-cases the first letter, for descriptions used at the start of a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
