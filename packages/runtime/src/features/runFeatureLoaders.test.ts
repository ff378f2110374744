import { describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendFeatureLoader,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { createTestDoubles, startError } from '../__fixtures__/testDoubles';

function plugin(
  pluginId: string,
  deps: any = {},
  init: (deps: any) => void | Promise<void> = () => {},
) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({ deps, init });
    },
  });
}

describe('runFeatureLoaders', () => {
  it('should load features from root services, recursively, including { default } modules', async () => {
    const { factories } = createTestDoubles({ plugins: 'a' });
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    const started: string[] = [];
    backend.add(
      createBackendFeatureLoader({
        deps: { config: coreServices.rootConfig },
        *loader({ config }) {
          yield plugin(config.getOptionalString('plugins')!, {}, () => void started.push('a'));
          yield createBackendFeatureLoader({
            async loader() {
              return [Promise.resolve({ default: plugin('b', {}, () => void started.push('b')) })];
            },
          });
        },
      }),
    );

    await backend.start();

    expect(started.sort()).toEqual(['a', 'b']);
  });

  it('should ignore a loaded service when one with that id was added', async () => {
    const ref = createServiceRef<string>({ id: 'test.thing' });
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(createServiceFactory({ service: ref, deps: {}, factory: () => 'added' }));
    backend.add(
      createBackendFeatureLoader({
        loader: () => [createServiceFactory({ service: ref, deps: {}, factory: () => 'loaded' })],
      }),
    );
    let seen: unknown;
    backend.add(plugin('p', { thing: ref }, ({ thing }) => void (seen = thing)));

    await backend.start();

    expect(seen).toBe('added');
  });

  it('should let a loaded service override a default one', async () => {
    const ref = createServiceRef<string>({ id: 'test.thing' });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        createServiceFactory({ service: ref, deps: {}, factory: () => 'default' }),
      ],
    });
    backend.add(
      createBackendFeatureLoader({
        loader: () => [createServiceFactory({ service: ref, deps: {}, factory: () => 'loaded' })],
      }),
    );
    let seen: unknown;
    backend.add(plugin('p', { thing: ref }, ({ thing }) => void (seen = thing)));

    await backend.start();

    expect(seen).toBe('loaded');
  });

  it('should report two loaders providing the same service', async () => {
    const ref = createServiceRef<string>({ id: 'test.thing' });
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    for (const value of ['one', 'two']) {
      backend.add({
        ...createBackendFeatureLoader({
          loader: () => [createServiceFactory({ service: ref, deps: {}, factory: () => value })],
        }),
        description: `created at 'loader-${value}.ts:1'`,
      } as any);
    }

    const error = await startError(backend.start());

    expect(error.problems.map((p: any) => p.message)).toEqual([
      "Both feature loader created at 'loader-one.ts:1' and feature loader created at 'loader-two.ts:1' provide a factory for service 'test.thing'. Keep one, or add the one you want with backend.add(), which takes precedence over loaded factories.",
    ]);
  });

  it('should reject a loader that depends on a plugin-scoped service before running it', async () => {
    const doubles = createTestDoubles();
    const loggerFactory = createServiceFactory({
      service: coreServices.logger,
      deps: {},
      factory: () => ({}) as any,
    });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [...doubles.factories, loggerFactory],
    });
    let ran = false;
    backend.add({
      ...createBackendFeatureLoader({
        deps: { logger: coreServices.logger } as any,
        loader: () => ((ran = true), []),
      }),
      description: "created at 'loaders.ts:3'",
    } as any);

    const error = await startError(backend.start());

    expect(ran).toBe(false);
    expect(error.message).toContain(
      "BACKPLANE_ROOT_SCOPE_DEPENDENCY: Feature loader created at 'loaders.ts:3' depends on plugin-scoped service 'core.logger' (as 'logger'), but root services and feature loaders can only depend on root services.",
    );
  });

  it('should fail start() naming the loader when it throws', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    const cause = new Error('registry offline');
    backend.add({
      ...createBackendFeatureLoader({
        loader: () => {
          throw cause;
        },
      }),
      description: "created at 'loaders.ts:9'",
    } as any);

    await expect(backend.start()).rejects.toMatchObject({
      message:
        "BACKPLANE_FEATURE_LOADER_FAILED: Feature loader created at 'loaders.ts:9' failed: Error: registry offline. Fix the loader, or remove it from the backend.",
      cause,
    });
  });

  it('should report a loader that returns something that is not a feature', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add({
      $$type: '@backstage/BackendFeature',
      version: 'v1',
      featureType: 'loader',
      description: "created at 'loaders.ts:12'",
      loader: async () => [42],
    } as any);

    const error = await startError(backend.start());

    expect(error.problems[0].message).toBe(
      "Feature loader created at 'loaders.ts:12' received a number 42, which is not a backend feature. Pass a feature made by createBackendPlugin, createBackendModule, createServiceFactory or createBackendFeatureLoader, a module whose default export is one, or a promise of either, for example backend.add(import('./plugin')).",
    );
  });

  it('should report a loaded service whose id was already created for a loader', async () => {
    const { factories } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    backend.add({
      ...createBackendFeatureLoader({
        deps: { config: coreServices.rootConfig },
        loader: () => [
          createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () => ({}) as any,
          }),
        ],
      }),
      description: "created at 'loaders.ts:20'",
    } as any);

    const error = await startError(backend.start());

    expect(error.problems.map((p: any) => p.code)).toEqual(['BACKPLANE_LOADED_SERVICE_TOO_LATE']);
    expect(error.problems[0].message).toBe(
      "Feature loader created at 'loaders.ts:20' provided a factory for service 'core.rootConfig', but 'core.rootConfig' was already created so that a feature loader could run. Add this factory with backend.add() instead of loading it.",
    );
  });
});
