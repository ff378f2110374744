import type { WiringProblem } from '../errors/BackendWiringError';
import type { Registration } from '../types';
import { capitalize, describeRegistration, isExtensionPoint, isServiceRef } from '../types';
import { findCycles, formatChain } from './findCycles';
import type { ServiceConsumer } from './validateServiceGraph';
import { invalidDependency } from './validateServiceGraph';

/** What to start for one plugin. */
export interface PluginPlan {
  plugin: Registration;
  modules: Registration[];
  /**
   * For each module id, the module ids that must finish first (the consumers of its extension
   * points).
   */
  waitsFor: Map<string, string[]>;
}

/** The checked registrations, ready to start. */
export interface WiringPlan {
  plugins: PluginPlan[];
  installedPlugins: ReadonlyArray<{
    pluginId: string;
    modules: ReadonlyArray<{ moduleId: string }>;
  }>;
}

/** Options for {@link validateRegistrations}. */
export interface ValidateRegistrationsOptions {
  /**
   * True when every plugin gets routes under `/api/<pluginId>` (a `core.httpRouter` factory
   * exists). Paths match case-insensitively, so plugin ids differing only in case then collide.
   */
  pluginRoutes?: boolean;
}

/**
 * Checks plugins, modules and extension points: duplicate ids, modules without their plugin,
 * extension point ownership and the order of modules within a plugin. Returns the problems,
 * the plan, and the service deps of every init for the service graph check.
 */
export function validateRegistrations(
  registrations: Registration[],
  options: ValidateRegistrationsOptions = {},
): {
  problems: WiringProblem[];
  plan: WiringPlan;
  consumers: ServiceConsumer[];
} {
  const problems: WiringProblem[] = [];
  const plugins = new Map<string, PluginPlan>();
  const moduleKeys = new Map<string, number>();
  const pluginCounts = new Map<string, number>();
  const duplicates = new Set<Registration>();

  // Plugins first, so that modules can find theirs whatever the add() order.
  for (const reg of registrations.filter(r => r.kind === 'plugin')) {
    pluginCounts.set(reg.pluginId, (pluginCounts.get(reg.pluginId) ?? 0) + 1);
    if (plugins.has(reg.pluginId)) {
      duplicates.add(reg);
    } else {
      plugins.set(reg.pluginId, { plugin: reg, modules: [], waitsFor: new Map() });
    }
  }
  for (const [pluginId, count] of pluginCounts) {
    if (count > 1) {
      problems.push({
        code: 'BACKPLANE_DUPLICATE_PLUGIN',
        message:
          `Plugin '${pluginId}' was added ${count} times. Add each plugin once; to extend ` +
          `'${pluginId}', add a module made with createBackendModule({ pluginId: '${pluginId}' }).`,
      });
    }
  }

  if (options.pluginRoutes) {
    problems.push(...findCaseCollisions([...plugins.keys()]));
  }

  const modules: Registration[] = [];
  for (const reg of registrations.filter(r => r.kind === 'module')) {
    const key = `${reg.pluginId}\u0000${reg.moduleId}`;
    const count = (moduleKeys.get(key) ?? 0) + 1;
    moduleKeys.set(key, count);
    if (count === 2) {
      problems.push({
        code: 'BACKPLANE_DUPLICATE_MODULE',
        message:
          `Module '${reg.moduleId}' of plugin '${reg.pluginId}' was added more than once. ` +
          'Add each module once.',
      });
    }
    if (count > 1) {
      duplicates.add(reg);
      continue;
    }
    const plan = plugins.get(reg.pluginId);
    if (!plan) {
      problems.push(moduleWithoutPlugin(reg, [...plugins.keys()]));
      continue;
    }
    plan.modules.push(reg);
    modules.push(reg);
  }

  // Extension points belong to the plugin id of whoever registered them.
  const owners = new Map<string, Registration>();
  for (const reg of registrations) {
    for (const { extensionPoint } of reg.extensionPoints) {
      const owner = owners.get(extensionPoint.id);
      if (!owner) {
        owners.set(extensionPoint.id, reg);
        continue;
      }
      const both =
        owner === reg
          ? `twice by ${describeRegistration(reg)}`
          : `by ${describeRegistration(owner)} and by ${describeRegistration(reg)}`;
      problems.push({
        code: 'BACKPLANE_DUPLICATE_EXTENSION_POINT',
        message:
          `Extension point '${extensionPoint.id}' is registered ${both}. ` +
          'Register each extension point id once.',
      });
    }
  }

  const consumers: ServiceConsumer[] = [];
  const usesModules = new Map<Registration, Set<string>>();
  for (const reg of registrations.filter(r => !duplicates.has(r))) {
    const owner = capitalize(describeRegistration(reg));
    const serviceDeps: Record<string, unknown> = {};
    for (const [name, dep] of Object.entries(reg.init.deps)) {
      if (isServiceRef(dep)) {
        serviceDeps[name] = dep;
      } else if (!isExtensionPoint(dep)) {
        problems.push(invalidDependency(owner, name, dep, reg.kind === 'module'));
      } else if (reg.kind === 'plugin') {
        problems.push({
          code: 'BACKPLANE_EXTENSION_POINT_IN_PLUGIN_INIT',
          message:
            `${owner} depends on extension point '${dep.id}' (as '${name}') in its own init, ` +
            `but only modules can use extension points. Move that code into a module made with ` +
            `createBackendModule({ pluginId: '${owners.get(dep.id)?.pluginId ?? reg.pluginId}' }).`,
        });
      } else if (plugins.has(reg.pluginId)) {
        const provider = checkModuleExtensionPoint(reg, name, dep.id, owners, problems);
        if (provider?.kind === 'module') {
          const used = usesModules.get(reg) ?? new Set();
          used.add(provider.moduleId!);
          usesModules.set(reg, used);
        }
      }
    }
    consumers.push({ description: owner, deps: serviceDeps, rootOnly: false });
  }

  for (const plan of plugins.values()) {
    problems.push(...orderModules(plan, usesModules));
  }
  const installedPlugins = Object.freeze(
    [...plugins.values()].map(plan =>
      Object.freeze({
        pluginId: plan.plugin.pluginId,
        modules: Object.freeze(plan.modules.map(m => Object.freeze({ moduleId: m.moduleId! }))),
      }),
    ),
  );
  return { problems, plan: { plugins: [...plugins.values()], installedPlugins }, consumers };
}

/** Plugin ids equal but for case, which would be mounted at the same `/api/<pluginId>`. */
function findCaseCollisions(pluginIds: string[]): WiringProblem[] {
  const byPath = new Map<string, string[]>();
  for (const pluginId of pluginIds) {
    const key = pluginId.toLowerCase();
    byPath.set(key, [...(byPath.get(key) ?? []), pluginId]);
  }
  return [...byPath.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([path, ids]) => ({
      code: 'BACKPLANE_DUPLICATE_PLUGIN' as const,
      message:
        `Plugins ${quoteList(ids)} have ids that differ only in case, but routes match ` +
        `case-insensitively, so both would be mounted at '/api/${path}'. Add only one of them, ` +
        `or give one another id; prefer lowercase ids such as '${path}'.`,
    }));
}

function moduleWithoutPlugin(reg: Registration, pluginIds: string[]): WiringProblem {
  const { moduleId, pluginId } = reg;
  const sameButCase = pluginIds.find(id => id.toLowerCase() === pluginId.toLowerCase());
  const hint = sameButCase
    ? ` Plugin '${sameButCase}' was added; ids are case-sensitive, ` +
      `so create the module with pluginId '${sameButCase}'.`
    : ` Add plugin '${pluginId}' with backend.add(), or remove the module.`;
  return {
    code: 'BACKPLANE_MODULE_WITHOUT_PLUGIN',
    message:
      `Module '${moduleId}' was added for plugin '${pluginId}', but plugin '${pluginId}' ` +
      `was not added.${hint}`,
  };
}

/** `'a' and 'b'`, `'a', 'b' and 'c'`. */
function quoteList(ids: string[]): string {
  const quoted = ids.map(id => `'${id}'`);
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
    : quoted.join('');
}

/** Returns the registration providing the extension point, when the module may use it. */
function checkModuleExtensionPoint(
  reg: Registration,
  name: string,
  id: string,
  owners: Map<string, Registration>,
  problems: WiringProblem[],
): Registration | undefined {
  const owner = capitalize(describeRegistration(reg));
  const provider = owners.get(id);
  if (!provider) {
    problems.push({
      code: 'BACKPLANE_MISSING_DEPENDENCY',
      message:
        `${owner} depends on extension point '${id}' (as '${name}'), but no plugin or module ` +
        `registers it. Add the plugin or module that provides '${id}', or remove the dependency.`,
    });
    return undefined;
  }
  if (provider.pluginId !== reg.pluginId) {
    problems.push({
      code: 'BACKPLANE_FOREIGN_EXTENSION_POINT',
      message:
        `${owner} depends on extension point '${id}' (as '${name}'), which belongs to plugin ` +
        `'${provider.pluginId}'. A module can only use extension points of its own plugin; ` +
        `to extend '${provider.pluginId}', create the module with pluginId '${provider.pluginId}'.`,
    });
    return undefined;
  }
  return provider;
}

/**
 * A module that provides an extension point starts after the modules of the same plugin that
 * use it. Fills `waitsFor` and reports cycles as chains of "uses an extension point of".
 */
function orderModules(plan: PluginPlan, usesModules: Map<Registration, Set<string>>) {
  const uses = new Map<string, string[]>();
  for (const mod of plan.modules) {
    uses.set(mod.moduleId!, [...(usesModules.get(mod) ?? [])]);
    plan.waitsFor.set(mod.moduleId!, []);
  }
  for (const [consumer, providers] of uses) {
    for (const provider of providers) {
      plan.waitsFor.get(provider)?.push(consumer);
    }
  }
  const pluginId = plan.plugin.pluginId;
  return findCycles(uses.keys(), id => uses.get(id) ?? []).map(chain => ({
    code: 'BACKPLANE_MODULE_CYCLE' as const,
    message:
      `Modules of plugin '${pluginId}' use each other's extension points in a cycle: ` +
      `${formatChain(chain)} (each uses an extension point of the next). Move one extension ` +
      `point, or the code using it, so that the modules do not depend on each other in a loop.`,
  }));
}
