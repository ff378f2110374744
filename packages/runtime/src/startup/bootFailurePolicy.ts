import { BackplaneError, describeError } from '../errors/BackplaneError';
import type { WiringPlan } from '../validation/validateRegistrations';

/** What to do when a plugin or module fails to start, and the config key that says so. */
export interface BootFailureDecision {
  mode: 'abort' | 'continue';
  /** The key to set to change the decision, like `backend.startup.plugins.x.onPluginBootFailure`. */
  key: string;
}

/** Boot failure decisions for every plugin and module of a plan. */
export interface BootFailurePolicy {
  plugin(pluginId: string): BootFailureDecision;
  module(pluginId: string, moduleId: string): BootFailureDecision;
}

/** The part of the config service this reads. */
export interface StartupConfigReader {
  getOptionalString(key: string): string | undefined;
}

/**
 * Reads `backend.startup` for every plugin and module of the plan, before any of them starts,
 * so that a bad value stops the backend early with every bad key named at once.
 */
export function readBootFailurePolicy(
  config: StartupConfigReader | undefined,
  plan: WiringPlan,
): BootFailurePolicy {
  const bad: string[] = [];
  const causes: unknown[] = [];
  const read = (key: string): 'abort' | 'continue' | undefined => {
    let value: string | undefined;
    try {
      value = config?.getOptionalString(key);
    } catch (error) {
      bad.push(`'${key}' could not be read (${describeError(error)})`);
      causes.push(error);
      return undefined;
    }
    if (value === undefined || value === 'abort' || value === 'continue') {
      return value;
    }
    bad.push(`'${key}' is '${value}'`);
    return undefined;
  };
  const decide = (specificKey: string, defaultKey: string): BootFailureDecision => {
    const specific = read(specificKey);
    if (specific) {
      return { mode: specific, key: specificKey };
    }
    return { mode: read(defaultKey) ?? 'abort', key: specificKey };
  };

  const plugins = new Map<string, BootFailureDecision>();
  const modules = new Map<string, BootFailureDecision>();
  for (const { plugin, modules: pluginModules } of plan.plugins) {
    const pluginKey = `backend.startup.plugins.${plugin.pluginId}`;
    plugins.set(
      plugin.pluginId,
      decide(`${pluginKey}.onPluginBootFailure`, 'backend.startup.default.onPluginBootFailure'),
    );
    for (const mod of pluginModules) {
      modules.set(
        `${plugin.pluginId}\u0000${mod.moduleId}`,
        decide(
          `${pluginKey}.modules.${mod.moduleId}.onPluginModuleBootFailure`,
          'backend.startup.default.onPluginModuleBootFailure',
        ),
      );
    }
  }
  if (bad.length > 0) {
    throw new BackplaneError(
      'BACKPLANE_INVALID_STARTUP_CONFIG',
      `Invalid boot failure config: ${[...new Set(bad)].join(', ')}. ` +
        `Set each of these keys to 'abort' or 'continue', or remove it.`,
      causes.length > 0 ? { cause: causes[0] } : undefined,
    );
  }

  const fallback = (key: string): BootFailureDecision => ({ mode: 'abort', key });
  return {
    plugin: pluginId =>
      plugins.get(pluginId) ?? fallback(`backend.startup.plugins.${pluginId}.onPluginBootFailure`),
    module: (pluginId, moduleId) =>
      modules.get(`${pluginId}\u0000${moduleId}`) ??
      fallback(`backend.startup.plugins.${pluginId}.modules.${moduleId}.onPluginModuleBootFailure`),
  };
}
