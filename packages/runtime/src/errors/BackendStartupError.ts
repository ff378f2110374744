import { ServiceFactoryError } from './ServiceFactoryError';

/** A failure recorded for a plugin or module during start. */
export interface StartupFailure {
  error: Error;
  /** True when config said to continue without the plugin or module. */
  allowed: boolean;
}

/** How one module started. */
export interface ModuleStartupResult {
  moduleId: string;
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  failure?: StartupFailure;
}

/** How one plugin started: its 'always' services, modules, init and lifecycle startup hooks. */
export interface PluginStartupResult {
  pluginId: string;
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  failure?: StartupFailure;
  modules: ModuleStartupResult[];
}

/** What `backend.start()` resolves with (as `result`), and what a startup error carries. */
export interface BackendStartupResult {
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  /** `failure` when a plugin or module failed and config did not allow it. */
  outcome: 'success' | 'failure';
  plugins: PluginStartupResult[];
}

/**
 * Thrown by `backend.start()` when plugins or modules failed to start and config did not allow
 * it. `result` describes every plugin's outcome; `cause` is the failure (an AggregateError when
 * several plugins failed). The message lists each cause once: plugins that failed because the
 * same service could not be created for the same reason share one entry naming them all.
 */
export class BackendStartupError extends Error {
  readonly code = 'BACKPLANE_STARTUP_FAILED' as const;
  readonly result: BackendStartupResult;

  constructor(result: BackendStartupResult) {
    const failed = result.plugins.filter(p => p.failure && !p.failure.allowed);
    const failures = failed.map(p => p.failure!.error);
    const groups = groupByCause(failed);
    const count = failures.length === 1 ? '1 plugin' : `${failures.length} plugins`;
    let causes = '';
    if (groups.length < failures.length) {
      causes = groups.length === 1 ? ', all for the same cause' : `, for ${groups.length} causes`;
    }
    const header = `BACKPLANE_STARTUP_FAILED: Backend startup failed; ${count} failed to start${causes}:`;
    const lines = groups.map(group => `  - ${describeGroup(group)}`);
    const cause =
      failures.length === 1
        ? failures[0]
        : new AggregateError(failures, `${failures.length} plugins failed to start`);
    super([header, ...lines].join('\n'), { cause });
    this.name = 'BackendStartupError';
    this.result = result;
  }
}

/** Failed plugins that share a cause, in the order they were started. */
interface FailureGroup {
  plugins: PluginStartupResult[];
  /** Set when the shared cause is a service that could not be created. */
  factoryError?: ServiceFactoryError;
}

function groupByCause(failed: PluginStartupResult[]): FailureGroup[] {
  const groups = new Map<unknown, FailureGroup>();
  for (const plugin of failed) {
    const factoryError = findFactoryError(plugin.failure!.error);
    const key = factoryError?.causeKey ?? plugin;
    const group = groups.get(key) ?? { plugins: [], factoryError };
    group.plugins.push(plugin);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The service factory failure behind a plugin's failure, or behind its module's failure. */
function findFactoryError(error: Error): ServiceFactoryError | undefined {
  return error.cause instanceof ServiceFactoryError ? error.cause : undefined;
}

function describeGroup({ plugins, factoryError }: FailureGroup): string {
  if (plugins.length === 1 || !factoryError) {
    return plugins[0].failure!.error.message;
  }
  const names = plugins.map(plugin => {
    const module = plugin.modules.find(m => m.failure?.error === plugin.failure!.error);
    return module ? `'${plugin.pluginId}' (module '${module.moduleId}')` : `'${plugin.pluginId}'`;
  });
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return (
    `BACKPLANE_PLUGIN_STARTUP_FAILED: Plugins ${list} failed to start: ` +
    `${factoryError.code}: ${factoryError.sharedDetail}`
  );
}
