import { assertValidId } from '@backplane/plugin-api';
import { describeError, toError } from '../errors/BackplaneError';
import type { WiringProblem } from '../errors/BackendWiringError';
import type { ExtensionPointProvision, Registration } from '../types';
import { capitalize, describeRegistration, isExtensionPoint } from '../types';
import { describeValue } from './describeValue';

/**
 * Calls `getRegistrations()` on a registrations feature and normalises both registration
 * families (`plugin`/`module` with `[ref, impl]` tuples, `plugin-v1.1`/`module-v1.1` with
 * `{ extensionPoint, factory }`). Problems are collected, never thrown.
 */
export function readRegistrations(
  feature: { getRegistrations(): unknown },
  source: string,
): { registrations: Registration[]; problems: WiringProblem[] } {
  const problems: WiringProblem[] = [];
  let raw: unknown;
  try {
    raw = feature.getRegistrations();
  } catch (error) {
    problems.push({
      code: 'BACKPLANE_INVALID_REGISTRATION',
      message:
        `Reading the registrations of a feature from ${source} failed: ${describeError(error)}. ` +
        `Fix its register function (it must call registerInit exactly once, last).`,
      cause: toError(error),
    });
    return { registrations: [], problems };
  }
  if (!Array.isArray(raw)) {
    problems.push({
      code: 'BACKPLANE_INVALID_REGISTRATION',
      message:
        `A feature from ${source} returned ${describeValue(raw)} from getRegistrations(), ` +
        `expected an array. Upgrade the package that made the feature.`,
    });
    return { registrations: [], problems };
  }

  const registrations: Registration[] = [];
  for (const item of raw) {
    const reg = normalizeRegistration(item, source, problems);
    if (reg) {
      registrations.push(reg);
    }
  }
  return { registrations, problems };
}

function normalizeRegistration(
  item: any,
  source: string,
  problems: WiringProblem[],
): Registration | undefined {
  const type = item?.type;
  const kind =
    type === 'plugin' || type === 'plugin-v1.1'
      ? 'plugin'
      : type === 'module' || type === 'module-v1.1'
        ? 'module'
        : undefined;
  if (!kind) {
    problems.push({
      code: 'BACKPLANE_INVALID_REGISTRATION',
      message:
        `A feature from ${source} has a registration of unknown type '${String(type)}' ` +
        `(expected 'plugin', 'module', 'plugin-v1.1' or 'module-v1.1'). ` +
        `Upgrade the package that made the feature.`,
    });
    return undefined;
  }

  const reg: Registration = {
    kind,
    pluginId: item.pluginId,
    moduleId: kind === 'module' ? item.moduleId : undefined,
    extensionPoints: [],
    init: item.init,
    source,
  };
  const from = `in a feature from ${source}`;
  if (kind === 'module') {
    const of = typeof item.moduleId === 'string' ? `of module '${item.moduleId}' ` : '';
    checkId('pluginId', item.pluginId, `${of}${from}`, problems);
    checkId('moduleId', item.moduleId, from, problems);
  } else {
    checkId('pluginId', item.pluginId, from, problems);
  }
  const subject = describeRegistration(reg);

  if (typeof item.init?.func !== 'function') {
    problems.push({
      code: 'BACKPLANE_INVALID_REGISTRATION',
      message: `${capitalize(subject)} from ${source} has no init function. Call registerInit({ deps, init }) in its register function.`,
    });
    return undefined;
  }
  reg.init = { deps: item.init.deps ?? {}, func: item.init.func };

  for (const entry of item.extensionPoints ?? []) {
    const provision = normalizeExtensionPoint(entry);
    if (provision) {
      reg.extensionPoints.push(provision);
    } else {
      problems.push({
        code: 'BACKPLANE_INVALID_REGISTRATION',
        message:
          `${capitalize(subject)} registers an extension point as ${describeValue(entry)}. ` +
          `Pass a ref made by createExtensionPoint to registerExtensionPoint.`,
      });
    }
  }
  return reg;
}

/** `[ref, impl]` (older family) or `{ extensionPoint, factory }` (v1.1). */
function normalizeExtensionPoint(entry: unknown): ExtensionPointProvision | undefined {
  if (Array.isArray(entry)) {
    const [ref, impl] = entry;
    return isExtensionPoint(ref) ? { extensionPoint: ref, factory: () => impl } : undefined;
  }
  const provision = entry as Partial<ExtensionPointProvision> | undefined;
  if (isExtensionPoint(provision?.extensionPoint) && typeof provision?.factory === 'function') {
    return provision as ExtensionPointProvision;
  }
  return undefined;
}

/**
 * Features made by createBackendPlugin and createBackendModule (ours or Backstage's) were checked
 * when created; this catches hand-made registrations and the plugin id of a module.
 */
function checkId(
  kind: 'pluginId' | 'moduleId',
  id: unknown,
  where: string,
  problems: WiringProblem[],
) {
  try {
    assertValidId(kind, id, where);
  } catch (error) {
    const detail = (error as { detail?: unknown }).detail;
    problems.push({
      code: 'BACKPLANE_INVALID_ID',
      message: typeof detail === 'string' ? detail : toError(error).message,
    });
  }
}
