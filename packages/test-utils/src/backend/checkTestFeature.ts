import type { BackendFeature } from '@backplane/plugin-api';
import { MockAuthService } from '../credentials/MockAuthService';
import { MockHttpAuthService } from '../credentials/MockHttpAuthService';
import { MockDiscoveryService } from '../services/MockDiscoveryService';
import { MockEventsService } from '../services/MockEventsService';
import { MockRootConfig } from '../services/MockRootConfig';
import { MockRootLoggerService } from '../services/MockRootLoggerService';
import { MockSchedulerService } from '../services/MockSchedulerService';
import { MockUserInfoService } from '../services/MockUserInfoService';

const FEATURE_TYPE = '@backstage/BackendFeature';

const MOCK_CLASSES: Array<[new (...args: any[]) => unknown, string]> = [
  [MockRootConfig, 'rootConfig'],
  [MockRootLoggerService, 'rootLogger'],
  [MockAuthService, 'auth'],
  [MockHttpAuthService, 'httpAuth'],
  [MockDiscoveryService, 'discovery'],
  [MockEventsService, 'events'],
  [MockSchedulerService, 'scheduler'],
  [MockUserInfoService, 'userInfo'],
];

const isObjectLike = (value: unknown): value is Record<string, unknown> =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

const isFeature = (value: unknown) =>
  isObjectLike(value) && (value as { $$type?: unknown }).$$type === FEATURE_TYPE;

/** The feature inside `value`, looking through up to two levels of `default` (module interop). */
export function unwrapDefault(value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 2 && isObjectLike(current) && !isFeature(current); depth++) {
    if (!('default' in current)) break;
    current = current.default;
  }
  return current;
}

function listMethods(value: Record<string, unknown>): string {
  const names = new Set<string>();
  for (let o: object | null = value; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (value as any)[name] === 'function') names.add(name);
    }
  }
  return [...names]
    .slice(0, 4)
    .map(n => `'${n}'`)
    .join(', ');
}

/**
 * Says what is wrong with a value passed in `features`, with what to pass instead, or returns
 * undefined when it is a feature (after unwrapping `default`).
 */
export function describeFeatureMistake(value: unknown): string | undefined {
  const unwrapped = unwrapDefault(value);
  if (isFeature(unwrapped)) {
    return undefined;
  }
  if (unwrapped === undefined || unwrapped === null) {
    return (
      `is ${String(unwrapped)}; check that the module exports the feature ` +
      `(a default export, or import the named export)`
    );
  }
  if (Array.isArray(unwrapped)) {
    return 'is an array; spread it into the list: `features: [...list]`';
  }
  if (!isObjectLike(unwrapped)) {
    return `is a ${typeof unwrapped}, not a backend feature; pass a plugin, module or service factory`;
  }

  const type = (unwrapped as { $$type?: unknown }).$$type;
  if (type === '@backstage/ServiceRef') {
    const id = String(unwrapped.id);
    return (
      `is the service ref '${id}', not a service factory; pass a factory for it, such as ` +
      `mockServices.<service>.factory() or createServiceFactory({ service: ref, deps: {}, factory })`
    );
  }
  if (type === '@backstage/ExtensionPoint') {
    return (
      `is the extension point '${String(unwrapped.id)}'; pass it with its implementation in the ` +
      `'extensionPoints' option: extensionPoints: [[ref, impl]]`
    );
  }
  if (isFeature(unwrapped.factory) && typeof unwrapped.factory !== 'function') {
    const id = String((unwrapped.factory as { service?: { id?: string } }).service?.id);
    return (
      `is a service mock of '${id}' (from .mock()), not a feature; pass its factory: ` +
      '`mockServices.<service>.mock({ … }).factory`'
    );
  }
  if (typeof unwrapped.factory === 'function' && typeof unwrapped.mock === 'function') {
    return 'is a mockServices entry, not a feature; call its factory: `mockServices.<service>.factory()`';
  }
  if (typeof unwrapped.pluginId === 'string' && typeof unwrapped.register === 'function') {
    const kind =
      typeof unwrapped.moduleId === 'string' ? 'createBackendModule' : 'createBackendPlugin';
    return `looks like the options of ${kind}, not a feature; pass ${kind}({ … }) instead`;
  }
  if (typeof unwrapped === 'function') {
    const fnName = (unwrapped as { name?: string }).name;
    const name = fnName ? `a function named '${fnName}'` : 'an anonymous function';
    return (
      `is ${name}, not a feature; if it creates one, call it and pass the result ` +
      '(for example `mockServices.rootConfig.factory()`, not `mockServices.rootConfig.factory`)'
    );
  }

  const mock = MOCK_CLASSES.find(([cls]) => unwrapped instanceof cls)?.[1];
  if (mock) {
    return (
      `is a ${mock} service instance (from mockServices.${mock}()), not a feature; ` +
      `pass a factory instead: mockServices.${mock}.factory(…)`
    );
  }
  const methods = listMethods(unwrapped);
  if (methods) {
    return (
      `looks like a service instance (an object with methods ${methods}), not a feature; pass ` +
      'a service factory instead: `mockServices.<service>.factory(…)`, `mockServices.<service>.mock({ … }).factory`, ' +
      'or createServiceFactory({ service: ref, deps: {}, factory: () => instance })'
    );
  }
  return 'is not a backend feature; pass a plugin, module or service factory, or a promise of one';
}

/** The feature inside `value`, or an error naming `label` and the fix. */
export function toTestFeature(value: unknown, label: string): BackendFeature {
  const mistake = describeFeatureMistake(value);
  if (mistake) {
    throw new TypeError(`startTestBackend: ${label} ${mistake}`);
  }
  return unwrapDefault(value) as BackendFeature;
}
