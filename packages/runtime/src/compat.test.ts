import { describe, expect, it } from 'vitest';
import * as backstage from '@backstage/backend-plugin-api';
import * as ours from '@backplane/plugin-api';
import { createSpecializedBackend } from './createSpecializedBackend';
import { createTestDoubles, startError } from './__fixtures__/testDoubles';

describe('features from @backstage/backend-plugin-api', () => {
  it('should start a real plugin with a real module, extension point and service refs', async () => {
    const { factories, events } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    const processors = backstage.createExtensionPoint<{ add(name: string): void }>({
      id: 'catalog.processing',
    });
    const added: string[] = [];
    let pluginId: string | undefined;
    backend.add(
      backstage.createBackendPlugin({
        pluginId: 'catalog',
        register(reg) {
          reg.registerExtensionPoint(processors, { add: name => void added.push(name) });
          reg.registerInit({
            deps: {
              lifecycle: backstage.coreServices.lifecycle,
              metadata: backstage.coreServices.pluginMetadata,
            },
            async init({ lifecycle, metadata }) {
              pluginId = metadata.getId();
              lifecycle.addStartupHook(() => void events.push('catalog hook'));
            },
          });
        },
      }),
    );
    backend.add(
      backstage.createBackendModule({
        pluginId: 'catalog',
        moduleId: 'github',
        register(reg) {
          reg.registerInit({
            deps: { processors },
            async init({ processors: p }) {
              p.add('github');
            },
          });
        },
      }),
    );

    const { result } = await backend.start();

    expect(pluginId).toBe('catalog');
    expect(added).toEqual(['github']);
    expect(events).toContain('catalog hook');
    expect(result.plugins).toEqual([
      expect.objectContaining({
        pluginId: 'catalog',
        modules: [expect.objectContaining({ moduleId: 'github' })],
      }),
    ]);
  });

  it('should use a real service factory with createRootContext for a ref of our library', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    const theirRef = backstage.createServiceRef<{ plugin: string; context: number }>({
      id: 'events.service',
    });
    const ourRef = ours.createServiceRef<{ plugin: string; context: number }>({
      id: 'events.service',
    });
    let contexts = 0;
    backend.add(
      backstage.createServiceFactory({
        service: theirRef,
        deps: { metadata: backstage.coreServices.pluginMetadata },
        createRootContext: () => ++contexts,
        factory: ({ metadata }, context) => ({ plugin: metadata.getId(), context }),
      }),
    );
    const seen: unknown[] = [];
    for (const id of ['a', 'b']) {
      backend.add(
        ours.createBackendPlugin({
          pluginId: id,
          register(reg) {
            reg.registerInit({
              deps: { events: ourRef },
              init: ({ events }) => void seen.push(events),
            });
          },
        }),
      );
    }

    await backend.start();

    expect(contexts).toBe(1);
    expect(seen).toEqual([
      { plugin: 'a', context: 1 },
      { plugin: 'b', context: 1 },
    ]);
  });

  it("should honour a real ref's defaultFactory and run a real feature loader", async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    const ref: any = backstage.createServiceRef<string>({
      id: 'test.withDefault',
      defaultFactory: async service =>
        backstage.createServiceFactory({ service, deps: {}, factory: () => 'default value' }),
    });
    let seen: unknown;
    backend.add(
      backstage.createBackendFeatureLoader({
        loader: async () => [
          backstage.createBackendPlugin({
            pluginId: 'loaded',
            register(reg) {
              reg.registerInit({
                deps: { value: ref },
                init: async ({ value }) => void (seen = value),
              });
            },
          }),
        ],
      }),
    );

    await backend.start();

    expect(seen).toBe('default value');
  });

  it('should report a real plugin missing a service, in the same words', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(
      backstage.createBackendPlugin({
        pluginId: 'scaffolder',
        register(reg) {
          reg.registerInit({ deps: { db: backstage.coreServices.database }, async init() {} });
        },
      }),
    );

    const error = await startError(backend.start());

    expect(error.problems[0].message).toBe(
      "Plugin 'scaffolder' depends on service 'core.database' (as 'db'), but no factory provides it. Add a service factory for 'core.database' with backend.add(), or remove the dependency.",
    );
  });
});

describe('older and hand-made feature shapes', () => {
  it("should accept 'plugin'/'module' registrations with [ref, impl] tuples", async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    const ep = ours.createExtensionPoint<string[]>({ id: 'legacy.ep' });
    const collected: string[] = [];
    const feature = (registration: object) => ({
      $$type: '@backstage/BackendFeature',
      version: 'v1',
      getRegistrations: () => [registration],
    });
    backend.add(
      feature({
        type: 'plugin',
        pluginId: 'legacy',
        extensionPoints: [[ep, collected]],
        init: { deps: {}, func: () => void collected.push('plugin') },
      }) as any,
    );
    backend.add(
      feature({
        type: 'module',
        pluginId: 'legacy',
        moduleId: 'extra',
        extensionPoints: [],
        init: { deps: { ep }, func: ({ ep: list }: any) => void list.push('module') },
      }) as any,
    );

    await backend.start();

    expect(collected).toEqual(['module', 'plugin']);
  });

  it('should accept a callable service factory and an older factory without featureType', async () => {
    const configRef = ours.createServiceRef<string>({ id: 'test.callable', scope: 'root' });
    const oldRef = ours.createServiceRef<string>({ id: 'test.old', scope: 'root' });
    const base = ours.createServiceFactory({
      service: configRef,
      deps: {},
      factory: () => 'called',
    });
    const callable = Object.assign(() => base, base);
    const old = {
      $$type: '@backstage/BackendFeature',
      service: oldRef,
      deps: {},
      factory: async () => 'old',
    };
    const backend = createSpecializedBackend({ defaultServiceFactories: [callable as any] });
    backend.add(old as any);
    let seen: unknown;
    backend.add(
      ours.createBackendPlugin({
        pluginId: 'p',
        register(reg) {
          reg.registerInit({
            deps: { a: configRef, b: oldRef },
            init: deps => void (seen = deps),
          });
        },
      }),
    );

    await backend.start();

    expect(seen).toEqual({ a: 'called', b: 'old' });
  });

  it("should call features of the old '@backstage/BackendFeatureFactory' form", async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    let started = false;
    const plugin = ours.createBackendPlugin({
      pluginId: 'old',
      register(reg) {
        reg.registerInit({ deps: {}, init: () => void (started = true) });
      },
    });
    backend.add(Object.assign(() => plugin, { $$type: '@backstage/BackendFeatureFactory' }) as any);

    await backend.start();

    expect(started).toBe(true);
  });
});
