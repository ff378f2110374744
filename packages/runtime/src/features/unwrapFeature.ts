import type { BackendFeature } from '@backplane/plugin-api';
import { BackplaneError } from '../errors/BackplaneError';
import type { ClassifiedFeature, FactoryLike } from '../types';
import { isObjectLike } from '../types';
import { describeValue } from './describeValue';

const FEATURE_TYPE = '@backstage/BackendFeature';
const LEGACY_FEATURE_FACTORY_TYPE = '@backstage/BackendFeatureFactory';

const WHAT_TO_PASS =
  'Pass a feature made by createBackendPlugin, createBackendModule, createServiceFactory or ' +
  'createBackendFeatureLoader, a module whose default export is one, or a promise of either, ' +
  "for example backend.add(import('./plugin'))";

/**
 * Returns the feature inside `value`: the value itself, its `default` export, or the `default`
 * of its `default` (CommonJS/ES module interop). Features of the old callable form
 * (`$$type: '@backstage/BackendFeatureFactory'`) are called to get the feature.
 *
 * Throws a `BACKPLANE_INVALID_FEATURE` error saying what was passed and what to pass instead;
 * `origin` names where the value came from, like `backend.add()`.
 */
export function unwrapFeature(value: unknown, origin = 'backend.add()'): BackendFeature {
  let current = value;
  for (let depth = 0; depth <= 2; depth++) {
    if (isObjectLike(current)) {
      const type = (current as { $$type?: unknown }).$$type;
      if (type === FEATURE_TYPE) {
        return current as BackendFeature;
      }
      if (type === LEGACY_FEATURE_FACTORY_TYPE && typeof current === 'function') {
        return unwrapFeature((current as () => unknown)(), origin);
      }
      if (depth < 2 && 'default' in current) {
        current = (current as { default: unknown }).default;
        continue;
      }
    }
    break;
  }
  throw new BackplaneError('BACKPLANE_INVALID_FEATURE', notAFeatureMessage(value, origin));
}

function notAFeatureMessage(value: unknown, origin: string): string {
  const what = describeValue(value);
  const hint =
    typeof value === 'function'
      ? ' If this function creates a feature, call it and pass the result.'
      : '';
  return `${origin} received ${what}, which is not a backend feature. ${WHAT_TO_PASS}.${hint}`;
}

/**
 * Sorts a feature by what it does, reading `featureType` and the older duck-typed shapes
 * (a `service` property means a service factory, `getRegistrations` means registrations).
 */
export function classifyFeature(feature: object, origin = 'backend.add()'): ClassifiedFeature {
  const f = feature as Record<string, unknown>;
  if (f.version !== undefined && f.version !== 'v1') {
    throw new BackplaneError(
      'BACKPLANE_INVALID_FEATURE',
      `${origin} received a feature of version '${String(f.version)}', but this backend reads ` +
        `version 'v1' only. Upgrade the package that made the feature.`,
    );
  }
  const featureType =
    f.featureType ??
    ('service' in f ? 'service' : 'getRegistrations' in f ? 'registrations' : undefined);

  if (featureType === 'service' && isObjectLike(f.service) && typeof f.factory === 'function') {
    return { kind: 'service', factory: normalizeFactory(feature) };
  }
  if (featureType === 'registrations' && typeof f.getRegistrations === 'function') {
    return { kind: 'registrations', feature: f as never };
  }
  if (featureType === 'loader' && typeof f.loader === 'function') {
    return { kind: 'loader', loader: f as never };
  }
  throw new BackplaneError(
    'BACKPLANE_INVALID_FEATURE',
    `${origin} received a backend feature with featureType '${String(featureType)}' that this ` +
      `backend cannot read (expected 'service' with a factory, 'registrations' with ` +
      `getRegistrations, or 'loader' with a loader function). Upgrade the package that made it.`,
  );
}

const normalizedFactories = new WeakMap<object, FactoryLike>();

/**
 * Gives a service factory feature a stable normalised form: `deps` defaults to `{}` and the
 * methods are called on the original object. The same feature always yields the same object,
 * so caching per factory works when one factory is added twice.
 */
function normalizeFactory(feature: object): FactoryLike {
  const known = normalizedFactories.get(feature);
  if (known) {
    return known;
  }
  const f = feature as FactoryLike;
  const normalized: FactoryLike = {
    service: f.service,
    deps: f.deps ?? {},
    initialization: f.initialization,
    factory: (deps, context) => f.factory(deps, context),
    createRootContext:
      typeof f.createRootContext === 'function' ? deps => f.createRootContext!(deps) : undefined,
  };
  normalizedFactories.set(feature, normalized);
  return normalized;
}
