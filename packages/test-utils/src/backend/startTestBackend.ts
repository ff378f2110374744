import type { Server } from 'node:http';
import { createBackendModule, createBackendPlugin } from '@backplane/plugin-api';
import type { BackendFeature, ExtensionPoint, ServiceFactory } from '@backplane/plugin-api';
import { createSpecializedBackend } from '@backplane/runtime';
import type { Backend } from '@backplane/runtime';
import type { MockLogLevel } from '../services/MockRootLoggerService';
import { registerCleanup } from '../util/registerTestHook';
import { toTestFeature } from './checkTestFeature';
import { createTestServiceFactories } from './createTestServiceFactories';
import { serverOf, wrapRootHttpRouterFactory } from './wrapRootHttpRouterFactory';

/** Something `startTestBackend` accepts in `features`. */
export type TestBackendFeature =
  BackendFeature | Promise<BackendFeature | { default: unknown }> | { default: unknown };

/** Options for {@link startTestBackend}. */
export interface TestBackendOptions {
  /**
   * Plugins, modules, service factories and loaders, or promises of them (`import('./plugin')`).
   */
  features?: TestBackendFeature[];
  /**
   * Implementations of extension points for modules under test whose plugin is not among the
   * features: `[[catalogProcessingExtensionPoint, { addProcessor: … }]]`.
   */
  extensionPoints?: ReadonlyArray<readonly [ExtensionPoint<any>, unknown]>;
  /** Level of the mock root logger; default the `LOG_LEVEL` environment variable, else silent. */
  logLevel?: MockLogLevel;
}

/** A started test backend. */
export interface TestBackend extends Backend {
  /**
   * The HTTP server on its free loopback port, for supertest (`request(backend.server)`) or
   * `server.address().port`.
   */
  readonly server: Server;
}

const EXTENSION_POINT_MODULE_ID = 'test-extension-point-registration';
const ROOT_INSTANCE_METADATA = 'core.rootInstanceMetadata';

interface RegistrationInfo {
  type: string;
  pluginId: string;
  moduleId?: string;
  extensionPoints?: Array<{ extensionPoint?: { id: string } } | [{ id: string }, unknown]>;
  init?: { deps?: Record<string, unknown> };
}

function readRegistrations(feature: BackendFeature): RegistrationInfo[] {
  const getRegistrations = (feature as { getRegistrations?: () => unknown }).getRegistrations;
  if (typeof getRegistrations !== 'function') return [];
  try {
    const registrations = getRegistrations.call(feature);
    return Array.isArray(registrations) ? (registrations as RegistrationInfo[]) : [];
  } catch {
    // The backend reports a broken registration, with its own wording, when it starts.
    return [];
  }
}

/**
 * Plugins that must be synthesized: an empty plugin for every module whose plugin is absent, and
 * a module registering the given extension points for the plugin whose modules use them.
 */
function supportingFeatures(
  features: BackendFeature[],
  extensionPoints: TestBackendOptions['extensionPoints'] = [],
): BackendFeature[] {
  const registrations = features.flatMap(readRegistrations);
  const plugins = new Set(
    registrations.filter(r => r.type === 'plugin' || r.type === 'plugin-v1.1').map(r => r.pluginId),
  );
  const modules = registrations.filter(r => r.type === 'module' || r.type === 'module-v1.1');

  const given = new Map(extensionPoints.map(([ref, impl]) => [ref.id, { ref, impl }]));
  const byPlugin = new Map<string, Array<{ ref: ExtensionPoint<any>; impl: unknown }>>();
  const used = new Set<string>();
  for (const module of modules) {
    for (const dep of Object.values(module.init?.deps ?? {})) {
      const id = (dep as { $$type?: string; id?: string })?.id;
      const entry = id !== undefined ? given.get(id) : undefined;
      if (!entry || (dep as { $$type?: string }).$$type !== '@backstage/ExtensionPoint') continue;
      if (used.has(id!)) continue;
      used.add(id!);
      byPlugin.set(module.pluginId, [...(byPlugin.get(module.pluginId) ?? []), entry]);
    }
  }
  const unused = [...given.keys()].filter(id => !used.has(id));
  if (unused.length > 0) {
    throw new TypeError(
      `startTestBackend: no module among the features uses the extension point(s) ` +
        `${unused.map(id => `'${id}'`).join(', ')} given in 'extensionPoints'; add the module ` +
        `that depends on it, or remove the entry`,
    );
  }

  const extra: BackendFeature[] = [];
  for (const pluginId of new Set(modules.map(m => m.pluginId))) {
    if (!plugins.has(pluginId)) {
      extra.push(
        createBackendPlugin({
          pluginId,
          register: reg => reg.registerInit({ deps: {}, init: async () => {} }),
        }),
      );
    }
  }
  for (const [pluginId, entries] of byPlugin) {
    extra.push(
      createBackendModule({
        pluginId,
        moduleId: EXTENSION_POINT_MODULE_ID,
        register(reg) {
          for (const { ref, impl } of entries) {
            reg.registerExtensionPoint(ref, impl);
          }
          reg.registerInit({ deps: {}, init: async () => {} });
        },
      }),
    );
  }
  return extra;
}

async function resolveFeatures(inputs: TestBackendFeature[]): Promise<BackendFeature[]> {
  const settled = await Promise.allSettled(inputs.map(input => Promise.resolve(input)));
  const problems: string[] = [];
  const features: BackendFeature[] = [];
  settled.forEach((result, index) => {
    if (result.status === 'rejected') {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      problems.push(`features[${index}] is a promise that was rejected: ${reason}`);
      return;
    }
    try {
      features.push(toTestFeature(result.value, `features[${index}]`));
    } catch (error) {
      problems.push((error as Error).message.replace(/^startTestBackend: /, ''));
    }
  });
  if (problems.length > 0) {
    throw new TypeError(`startTestBackend: ${problems.join('; ')}`);
  }
  return features;
}

/**
 * Takes the factory for `core.rootInstanceMetadata` out of `features`: the runtime refuses it in
 * `backend.add()` and takes it through its `rootInstanceMetadataFactory` option instead.
 */
function takeRootInstanceMetadataFactory(features: BackendFeature[]) {
  const isMetadata = (feature: BackendFeature) =>
    (feature as Partial<ServiceFactory>).service?.id === ROOT_INSTANCE_METADATA;
  const indexes = features.flatMap((feature, index) => (isMetadata(feature) ? [index] : []));
  if (indexes.length > 1) {
    const names = indexes.map(index => `features[${index}]`).join(', ');
    throw new TypeError(
      `startTestBackend: ${names} all provide '${ROOT_INSTANCE_METADATA}'; keep one of them`,
    );
  }
  return {
    rootInstanceMetadataFactory: indexes.length === 1 ? features[indexes[0]] : undefined,
    others: features.filter(feature => !isMetadata(feature)),
  };
}

/**
 * Starts an in-process backend for tests, on a free loopback port, with the given features and
 * test doubles for the services a test should not depend on (see `createTestServiceFactories`).
 * Service factories among `features` replace the defaults, `core.rootInstanceMetadata` included.
 * Stop it with `backend.stop()`; with a global `afterAll` (Jest, Vitest with globals) or
 * `node:test`, it stops by itself after the file.
 *
 * ```ts
 * const { server } = await startTestBackend({ features: [import('../plugin')] });
 * await request(server).get('/api/example/health').expect(200);
 * ```
 */
export async function startTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const { rootInstanceMetadataFactory, others: features } = takeRootInstanceMetadataFactory(
    await resolveFeatures(options.features ?? []),
  );
  let rootHttpRouter: unknown;
  const capture = (instance: unknown) => {
    rootHttpRouter = instance;
  };

  // A root HTTP router given by the test also listens on a free port and exposes its server.
  const prepared = features.map(feature => {
    const service = (feature as Partial<ServiceFactory>).service;
    return service?.id === 'core.rootHttpRouter'
      ? wrapRootHttpRouterFactory(feature as ServiceFactory, capture)
      : feature;
  });
  prepared.push(...supportingFeatures(features, options.extensionPoints));

  const backend = createSpecializedBackend({
    defaultServiceFactories: createTestServiceFactories({
      discovery: 'bound',
      logLevel: options.logLevel,
      onRootHttpRouter: capture,
    }),
    rootInstanceMetadataFactory,
    handleProcessSignals: false,
  });
  for (const feature of prepared) {
    backend.add(feature);
  }

  // Stop it after the test file even if the test does not, so that the file exits by itself.
  const cancelCleanup = registerCleanup(() => backend.stop());
  const stop = async () => {
    cancelCleanup();
    await backend.stop();
  };
  try {
    await backend.start();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    add: feature => backend.add(feature),
    start: () => backend.start(),
    stop,
    get server(): Server {
      const server = serverOf(rootHttpRouter);
      if (!server) {
        throw new Error(
          'startTestBackend: there is no server, because the core.rootHttpRouter given in ' +
            "'features' does not expose one; use the default root HTTP router to make requests",
        );
      }
      return server;
    },
  };
}
