import { randomUUID } from 'node:crypto';
import type { BackendFeature, LoggerService } from '@backplane/plugin-api';
import type { BackendStartupResult } from './errors/BackendStartupError';
import { BackendStartupError } from './errors/BackendStartupError';
import type { WiringProblem } from './errors/BackendWiringError';
import { BackendWiringError } from './errors/BackendWiringError';
import { BackplaneError, toError } from './errors/BackplaneError';
import type { SourcedRegistrations } from './features/runFeatureLoaders';
import { runFeatureLoaders } from './features/runFeatureLoaders';
import { readRegistrations } from './features/readRegistrations';
import { classifyFeature, unwrapFeature } from './features/unwrapFeature';
import { registerProcessSignals } from './processSignals';
import { ServiceFactoryTable } from './services/ServiceFactoryTable';
import { ServiceRegistry } from './services/ServiceRegistry';
import { assertRootLifecycle, type RootLifecycleDriver } from './startup/assertLifecycleProtocol';
import { readBootFailurePolicy, type StartupConfigReader } from './startup/bootFailurePolicy';
import { startPlugin } from './startup/startPlugin';
import { stopBackend } from './startup/stopBackend';
import type { FactoryLike, LoaderLike, RefLike, Registration } from './types';
import type { WiringPlan } from './validation/validateRegistrations';
import { validateRegistrations } from './validation/validateRegistrations';
import { validateServiceGraph } from './validation/validateServiceGraph';

/** Options for {@link createSpecializedBackend}. */
export interface CreateSpecializedBackendOptions {
  /** Factories used for every service id that no added feature provides. */
  defaultServiceFactories: ReadonlyArray<BackendFeature>;
  /** The id `core.rootInstanceMetadata` reports; a random UUID when absent. */
  instanceId?: string;
  /**
   * A factory for `core.rootInstanceMetadata` to use instead of the one the runtime makes from
   * `instanceId` and the installed plugins, for backends that need fixed metadata (test backends).
   * A factory for that id given through `backend.add()`, a feature loader or
   * `defaultServiceFactories` is still refused.
   */
  rootInstanceMetadataFactory?: BackendFeature;
  /**
   * Stop the backend on SIGTERM/SIGINT and exit (0, or 1 when stopping failed), and log
   * unhandled promise rejections on the root logger. Default false.
   */
  handleProcessSignals?: boolean;
}

/** A backend: add features, start it, stop it. */
export interface Backend {
  /** Adds a feature, or a promise of one (such as `import('./plugin')`); only before start. */
  add(feature: BackendFeature | Promise<BackendFeature | { default: unknown }>): void;
  /** Checks the wiring, creates services and starts every plugin. */
  start(): Promise<{ result: BackendStartupResult }>;
  /**
   * Runs shutdown hooks: root before-shutdown, plugins (in parallel), root shutdown. Idempotent.
   */
  stop(): Promise<void>;
}

const ref = (id: string, scope: 'root' | 'plugin') =>
  ({ $$type: '@backstage/ServiceRef', id, scope }) as RefLike;

/**
 * Creates a backend from default service factories. `@backplane/defaults` builds
 * `createBackend()` on this; tests build backends with doubles.
 */
export function createSpecializedBackend(options: CreateSpecializedBackendOptions): Backend {
  const defaults: FactoryLike[] = options.defaultServiceFactories.map(feature => {
    const classified = classifyFeature(unwrapFeature(feature, 'defaultServiceFactories'));
    if (classified.kind !== 'service') {
      throw new BackplaneError(
        'BACKPLANE_INVALID_FEATURE',
        `defaultServiceFactories holds a ${classified.kind} feature; pass service factories only.`,
      );
    }
    return classified.factory;
  });
  const rootInstanceMetadataFactory = readRootInstanceMetadataFactory(options);
  const pending: Array<Promise<{ feature?: object; problem?: WiringProblem }>> = [];
  let startPromise: Promise<{ result: BackendStartupResult }> | undefined;
  let stopPromise: Promise<void> | undefined;
  let registry: ServiceRegistry | undefined;
  let plan: WiringPlan | undefined;
  let rootLogger: LoggerService | undefined;
  let unregisterSignals: (() => void) | undefined;
  /** Plugins whose start (modules, init, startup hooks) has begun and not yet ended. */
  const startingPlugins = new Set<string>();

  const add: Backend['add'] = feature => {
    if (startPromise || stopPromise) {
      throw new BackplaneError(
        'BACKPLANE_ADD_AFTER_START',
        'backend.add() was called after backend.start(). ' +
          'Add every feature before starting the backend.',
      );
    }
    if (typeof (feature as Promise<unknown> | undefined)?.then !== 'function') {
      // A feature that cannot be read is reported by start() with every other wiring problem.
      try {
        const unwrapped = unwrapFeature(feature);
        classifyFeature(unwrapped);
        pending.push(Promise.resolve({ feature: unwrapped }));
      } catch (error) {
        if (!(error instanceof BackplaneError)) {
          throw error;
        }
        pending.push(Promise.resolve({ problem: toProblem(error) }));
      }
      return;
    }
    const settled = Promise.resolve(feature).then(
      value => ({ feature: unwrapFeature(value, 'A promise passed to backend.add()') }),
      error => ({
        problem: {
          code: 'BACKPLANE_INVALID_FEATURE' as const,
          message:
            `A promise passed to backend.add() was rejected: ${toError(error).message}. ` +
            importFailureFix(error),
          cause: toError(error),
        },
      }),
    );
    pending.push(settled.catch((error: BackplaneError) => ({ problem: toProblem(error) })));
  };

  const start = async (): Promise<{ result: BackendStartupResult }> => {
    const beginAt = new Date();
    if (options.handleProcessSignals) {
      unregisterSignals = registerProcessSignals({
        stop,
        logger: () => rootLogger,
        startingPlugins: () => [...startingPlugins],
      });
    }

    // Sort the added features; collect every problem instead of stopping at the first.
    const table = new ServiceFactoryTable(defaults, { rootInstanceMetadataFactory });
    const { problems, loaders, features } = sortAddedFeatures(await Promise.all(pending), table);

    let installedPlugins: WiringPlan['installedPlugins'] | undefined;
    const instanceId = options.instanceId ?? randomUUID();
    registry = new ServiceRegistry({
      table,
      rootInstanceMetadata: Object.freeze({
        getId: () => instanceId,
        getInstalledPlugins: async () => {
          if (!installedPlugins) {
            throw new BackplaneError(
              'BACKPLANE_FEATURE_LOADER_FAILED',
              "getInstalledPlugins() of 'core.rootInstanceMetadata' was called while feature " +
                'loaders run, but the plugin list is known only after every loader finished. ' +
                'Call it from a plugin init or a startup hook instead.',
            );
          }
          return installedPlugins;
        },
      }),
    });
    await runFeatureLoaders({ loaders, table, registry, features, problems });

    // Check the whole graph before anything (else) is created.
    const registrations: Registration[] = [];
    for (const { feature, source } of features) {
      const read = readRegistrations(feature, source);
      problems.push(...read.problems);
      registrations.push(...read.registrations);
    }
    const checked = validateRegistrations(registrations, {
      pluginRoutes: table.provides('core.httpRouter'),
    });
    installedPlugins = checked.plan.installedPlugins;
    const graphProblems = await validateServiceGraph({
      table,
      consumers: checked.consumers,
      includeEager: true,
    });
    const all = [...problems, ...table.problems, ...checked.problems, ...graphProblems];
    if (all.length > 0) {
      throw new BackendWiringError(all);
    }
    plan = checked.plan;

    // Root services, then every plugin in parallel, then the root startup hooks.
    await registry.instantiateEagerRootServices();
    rootLogger = await optionalRoot<LoggerService>(registry, table, 'core.rootLogger');
    const rootConfig = await optionalRoot<StartupConfigReader>(registry, table, 'core.rootConfig');
    const rootLifecycle = await optionalRoot<RootLifecycleDriver>(
      registry,
      table,
      'core.rootLifecycle',
    );
    if (rootLifecycle !== undefined) {
      assertRootLifecycle(rootLifecycle);
    }
    const policy = readBootFailurePolicy(rootConfig, plan);
    const hasLifecycle = table.provides('core.lifecycle');
    const plugins = await Promise.all(
      plan.plugins.map(pluginPlan => {
        const { pluginId } = pluginPlan.plugin;
        startingPlugins.add(pluginId);
        return startPlugin({
          plan: pluginPlan,
          registry: registry!,
          policy,
          logger: rootLogger,
          hasLifecycle,
        }).finally(() => startingPlugins.delete(pluginId));
      }),
    );

    const failed = plugins.some(p => p.failure && !p.failure.allowed);
    const resultAt = new Date();
    const result: BackendStartupResult = {
      beginAt,
      resultAt,
      durationMs: resultAt.getTime() - beginAt.getTime(),
      outcome: failed ? 'failure' : 'success',
      plugins,
    };
    if (failed) {
      throw new BackendStartupError(result);
    }
    await rootLifecycle?.startup();
    logStartup(rootLogger, result);
    return { result };
  };

  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      try {
        if (startPromise) {
          if (startingPlugins.size > 0) {
            rootLogger?.warn('Waiting for plugins still starting before the backend stops', {
              plugins: [...startingPlugins].join(', '),
              fix:
                'a plugin whose init never finishes holds the stop: make it finish or fail in ' +
                'bounded time' +
                (options.handleProcessSignals
                  ? '; meanwhile a second SIGTERM or SIGINT, a second or more after the first, ' +
                    'exits at once'
                  : ''),
            });
          }
          await startPromise.catch(() => undefined);
          await stopBackend({ registry, plan });
        }
      } finally {
        unregisterSignals?.();
      }
    })();
    return stopPromise;
  };

  return {
    add,
    start() {
      if (startPromise || stopPromise) {
        return Promise.reject(
          new BackplaneError(
            'BACKPLANE_ALREADY_STARTED',
            stopPromise
              ? 'backend.start() was called after backend.stop(). ' +
                  'Create a new backend to start again.'
              : 'backend.start() was called twice. Call it once and await the result.',
          ),
        );
      }
      startPromise = start();
      return startPromise;
    },
    stop,
  };
}

/** Checks the `rootInstanceMetadataFactory` option: a root factory for that very id. */
function readRootInstanceMetadataFactory(
  options: CreateSpecializedBackendOptions,
): FactoryLike | undefined {
  const given = options.rootInstanceMetadataFactory;
  if (given === undefined) {
    return undefined;
  }
  const id = 'core.rootInstanceMetadata';
  if (options.instanceId !== undefined) {
    throw new BackplaneError(
      'BACKPLANE_INVALID_FEATURE',
      `createSpecializedBackend was given both 'instanceId' and 'rootInstanceMetadataFactory', ` +
        `but the factory decides what '${id}' reports. Pass only one of them.`,
    );
  }
  const classified = classifyFeature(unwrapFeature(given, 'rootInstanceMetadataFactory'));
  const factory = classified.kind === 'service' ? classified.factory : undefined;
  if (factory?.service.id !== id || factory.service.scope !== 'root') {
    const what = factory ? `a factory for '${factory.service.id}'` : `a ${classified.kind} feature`;
    throw new BackplaneError(
      'BACKPLANE_INVALID_FEATURE',
      `rootInstanceMetadataFactory holds ${what}; pass a root service factory for '${id}'.`,
    );
  }
  return factory;
}

/** Puts added service factories into the table and sorts the other features by kind. */
function sortAddedFeatures(
  added: Array<{ feature?: object; problem?: WiringProblem }>,
  table: ServiceFactoryTable,
) {
  const problems: WiringProblem[] = [];
  const loaders: LoaderLike[] = [];
  const features: SourcedRegistrations[] = [];
  for (const { feature, problem } of added) {
    if (problem) {
      problems.push(problem);
      continue;
    }
    try {
      const classified = classifyFeature(feature!);
      if (classified.kind === 'service') {
        table.addExplicit(classified.factory);
      } else if (classified.kind === 'loader') {
        loaders.push(classified.loader);
      } else {
        features.push({ feature: classified.feature, source: 'backend.add()' });
      }
    } catch (error) {
      problems.push(toProblem(error));
    }
  }
  return { problems, loaders, features };
}

async function optionalRoot<T>(
  registry: ServiceRegistry,
  table: ServiceFactoryTable,
  id: string,
): Promise<T | undefined> {
  return table.provides(id) ? ((await registry.get(ref(id, 'root'))) as T) : undefined;
}

function toProblem(error: unknown): WiringProblem {
  if (error instanceof BackplaneError) {
    return { code: error.code, message: error.detail };
  }
  throw error;
}

/**
 * Logs what started and how long each plugin took, one line per plugin, then the totals:
 * `plugins` counts the plugins that started; `failedPlugins` names those that failed and that
 * `onPluginBootFailure: continue` let the backend start without.
 */
function logStartup(logger: LoggerService | undefined, result: BackendStartupResult): void {
  if (!logger) {
    return;
  }
  const failedPlugins: string[] = [];
  for (const plugin of result.plugins) {
    const modules = plugin.modules.filter(m => !m.failure).map(m => m.moduleId);
    if (plugin.failure) {
      failedPlugins.push(plugin.pluginId); // Logged with its cause when it happened.
      continue;
    }
    logger.info('Plugin started', {
      plugin: plugin.pluginId,
      durationMs: plugin.durationMs,
      ...(modules.length > 0 ? { modules } : {}),
    });
  }
  logger.info('Backend started', {
    durationMs: result.durationMs,
    plugins: result.plugins.length - failedPlugins.length,
    ...(failedPlugins.length > 0 ? { failed: failedPlugins.length, failedPlugins } : {}),
  });
}

/**
 * The fix for a failed `import()` of a feature: a module that is missing, or one that did not load.
 */
function importFailureFix(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return 'Check the import path and that the package is installed.';
  }
  return 'The module was found but failed while loading: fix the error in it (see the cause).';
}
