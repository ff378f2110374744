import type { LoggerService } from '@backplane/plugin-api';
import { BackplaneError, describeError, toError } from '../errors/BackplaneError';
import type { ModuleStartupResult, PluginStartupResult } from '../errors/BackendStartupError';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { ExtensionPointProvision, RefLike, Registration } from '../types';
import { isExtensionPoint } from '../types';
import type { PluginPlan } from '../validation/validateRegistrations';
import { assertPluginLifecycle } from './assertLifecycleProtocol';
import type { BootFailurePolicy } from './bootFailurePolicy';

const LIFECYCLE_REF = { $$type: '@backstage/ServiceRef', id: 'core.lifecycle', scope: 'plugin' };

/** What starting one plugin needs. */
export interface StartPluginOptions {
  plan: PluginPlan;
  registry: ServiceRegistry;
  policy: BootFailurePolicy;
  /** Where allowed failures are logged; absent when no `core.rootLogger` factory exists. */
  logger?: LoggerService;
  /** False when no factory provides `core.lifecycle`. */
  hasLifecycle: boolean;
}

/**
 * Starts one plugin: its 'always' services, its modules (a module providing an extension point
 * after the modules that use it), its init, then its lifecycle startup hooks. Never throws:
 * the outcome, with any failure, is in the returned result.
 */
export async function startPlugin(options: StartPluginOptions): Promise<PluginStartupResult> {
  const { plan, registry, policy, logger, hasLifecycle } = options;
  const pluginId = plan.plugin.pluginId;
  const beginAt = new Date();
  const provisions = new Map<string, ExtensionPointProvision>();
  for (const reg of [plan.plugin, ...plan.modules]) {
    for (const provision of reg.extensionPoints) {
      provisions.set(provision.extensionPoint.id, provision);
    }
  }
  const modules = new ModuleRunner(plan, registry, provisions, policy, logger);
  let failure: Error | undefined;

  try {
    await registry.instantiateAlwaysServices(pluginId);
    const lifecycle = hasLifecycle
      ? await registry.get(LIFECYCLE_REF as RefLike, pluginId)
      : undefined;
    if (hasLifecycle) {
      assertPluginLifecycle(lifecycle, pluginId);
    }

    await modules.runAll();
    modules.throwIfAborting();

    const deps = await resolveInitDeps(plan.plugin, registry, provisions, () => undefined);
    await plan.plugin.init.func(deps);
    modules.throwIfAborting();

    if (hasLifecycle) {
      assertPluginLifecycle(lifecycle, pluginId);
      await lifecycle.startup();
    }
  } catch (error) {
    failure =
      error instanceof BackplaneError && error.code === 'BACKPLANE_MODULE_STARTUP_FAILED'
        ? error
        : pluginFailure(pluginId, error, policy.plugin(pluginId));
  }
  modules.settle();

  const decision = policy.plugin(pluginId);
  const allowed = decision.mode === 'continue';
  if (failure && allowed) {
    logger
      ?.child({ plugin: pluginId, setting: decision.key })
      .warn('Plugin failed to start; continuing without it, as the setting allows', failure);
  }
  const resultAt = new Date();
  return {
    pluginId,
    beginAt,
    resultAt,
    durationMs: resultAt.getTime() - beginAt.getTime(),
    ...(failure ? { failure: { error: failure, allowed } } : {}),
    modules: modules.results(),
  };
}

/** Runs the modules of one plugin and tracks their failures, including reported ones. */
class ModuleRunner {
  readonly #results = new Map<string, ModuleStartupResult>();
  readonly #reports = new Map<string, Error[]>();
  readonly #running = new Map<string, Promise<void>>();
  #settled = false;

  constructor(
    private readonly plan: PluginPlan,
    private readonly registry: ServiceRegistry,
    private readonly provisions: Map<string, ExtensionPointProvision>,
    private readonly policy: BootFailurePolicy,
    private readonly logger: LoggerService | undefined,
  ) {}

  async runAll(): Promise<void> {
    await Promise.all(this.plan.modules.map(mod => this.#run(mod)));
  }

  /** Throws the first module failure that config does not allow; logs the allowed ones. */
  throwIfAborting(): void {
    for (const mod of this.plan.modules) {
      const moduleId = mod.moduleId!;
      const result = this.#results.get(moduleId);
      const reported = this.#reports.get(moduleId)?.[0];
      if (result && !result.failure && reported) {
        this.#fail(result, reported);
      }
      if (result?.failure && !result.failure.allowed) {
        throw result.failure.error;
      }
    }
  }

  /** After the plugin started (or failed), later reports can only be logged. */
  settle(): void {
    this.#settled = true;
  }

  results(): ModuleStartupResult[] {
    return this.plan.modules.flatMap(mod => this.#results.get(mod.moduleId!) ?? []);
  }

  #run(mod: Registration): Promise<void> {
    const moduleId = mod.moduleId!;
    let running = this.#running.get(moduleId);
    if (!running) {
      const byId = new Map(this.plan.modules.map(m => [m.moduleId!, m]));
      const before = (this.plan.waitsFor.get(moduleId) ?? []).map(id => this.#run(byId.get(id)!));
      running = Promise.all(before).then(() => this.#runOne(mod));
      this.#running.set(moduleId, running);
    }
    return running;
  }

  async #runOne(mod: Registration): Promise<void> {
    const moduleId = mod.moduleId!;
    const beginAt = new Date();
    const report = (error: Error) => this.#report(moduleId, error);
    let error: unknown;
    try {
      const deps = await resolveInitDeps(mod, this.registry, this.provisions, report);
      await mod.init.func(deps);
    } catch (thrown) {
      error = thrown ?? new Error('init threw an empty value');
    }
    const resultAt = new Date();
    const result: ModuleStartupResult = {
      moduleId,
      beginAt,
      resultAt,
      durationMs: resultAt.getTime() - beginAt.getTime(),
    };
    this.#results.set(moduleId, result);
    const failure = error ?? this.#reports.get(moduleId)?.[0];
    if (failure !== undefined) {
      this.#fail(result, failure);
    }
  }

  #report(moduleId: string, error: Error) {
    if (this.#settled) {
      this.logger
        ?.child({ plugin: this.plan.plugin.pluginId, module: moduleId })
        .error('Module was reported as failed after its plugin had started', toError(error));
      return;
    }
    const list = this.#reports.get(moduleId) ?? [];
    list.push(toError(error));
    this.#reports.set(moduleId, list);
  }

  #fail(result: ModuleStartupResult, cause: unknown) {
    const pluginId = this.plan.plugin.pluginId;
    const decision = this.policy.module(pluginId, result.moduleId);
    const allowed = decision.mode === 'continue';
    // Under 'continue' the setting is already there; only the cause is left to fix.
    const fix = !ownFailure(cause)
      ? ''
      : allowed
        ? ' Fix the cause to start the module again.'
        : ` Fix the cause, or set '${decision.key}: continue' to start plugin '${pluginId}' ` +
          `without this module.`;
    const error = new BackplaneError(
      'BACKPLANE_MODULE_STARTUP_FAILED',
      `Module '${result.moduleId}' of plugin '${pluginId}' failed to start: ` +
        `${describeError(cause)}.${fix}`,
      { cause },
    );
    result.failure = { error, allowed };
    if (allowed) {
      this.logger
        ?.child({ plugin: pluginId, module: result.moduleId, setting: decision.key })
        .warn('Module failed to start; continuing without it, as the setting allows', error);
    }
  }
}

/** Resolves an init's deps: services for the plugin, extension points one impl per consumer. */
async function resolveInitDeps(
  reg: Registration,
  registry: ServiceRegistry,
  provisions: Map<string, ExtensionPointProvision>,
  report: (error: Error) => void,
): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(reg.init.deps).map(async ([name, dep]) => {
      if (isExtensionPoint(dep)) {
        const provision = provisions.get(dep.id)!;
        const context = {
          reportModuleStartupFailure: ({ error }: { error: Error }) => report(error),
        };
        return [name, await provision.factory(context)];
      }
      return [name, await registry.get(dep as RefLike, reg.pluginId)];
    }),
  );
  return Object.fromEntries(entries);
}

function pluginFailure(
  pluginId: string,
  cause: unknown,
  decision: { key: string; mode: string },
): BackplaneError {
  const fix = !ownFailure(cause)
    ? ''
    : decision.mode === 'continue'
      ? ' Fix the cause to start the plugin again.'
      : ` Fix the cause, or set '${decision.key}: continue' to start the backend without ` +
        `'${pluginId}'.`;
  return new BackplaneError(
    'BACKPLANE_PLUGIN_STARTUP_FAILED',
    `Plugin '${pluginId}' failed to start: ${describeError(cause)}.${fix}`,
    { cause },
  );
}

/**
 * True when the plugin's or module's own code threw. A runtime error (a service factory or the
 * config it reads, a lifecycle service) carries its own fix, and starting without the plugin
 * would not help: every plugin using that service fails the same way.
 */
function ownFailure(cause: unknown): boolean {
  return !(cause instanceof BackplaneError);
}
