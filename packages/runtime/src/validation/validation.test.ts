import { describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  createServiceRef,
} from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { BackendWiringError } from '../errors/BackendWiringError';
import { createTestDoubles, startError } from '../__fixtures__/testDoubles';

function plugin(pluginId: string, deps: any = {}, extra?: (reg: any) => void) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      extra?.(reg);
      reg.registerInit({ deps, init: () => {} });
    },
  });
}

function module(pluginId: string, moduleId: string, deps: any = {}, extra?: (reg: any) => void) {
  return createBackendModule({
    pluginId,
    moduleId,
    register(reg) {
      extra?.(reg);
      reg.registerInit({ deps, init: () => {} });
    },
  });
}

async function problemsOf(features: any[], defaults: any[] = []) {
  const created: string[] = [];
  const backend = createSpecializedBackend({ defaultServiceFactories: defaults });
  features.forEach(f => backend.add(f));
  const error = await startError(backend.start());
  expect(error).toBeInstanceOf(BackendWiringError);
  return { error, messages: error.problems.map((p: any) => `${p.code}: ${p.message}`), created };
}

const ID_RULE =
  'an id must start with a letter, hold only letters a-z (either case) and digits, and separate words with a single dash or underscore (the pattern /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i)';

describe('wiring validation', () => {
  it('should list every problem in one error and create nothing', async () => {
    const created: string[] = [];
    const root = createServiceRef<string>({ id: 'test.root', scope: 'root' });
    const defaults = [
      createServiceFactory({
        service: root,
        deps: {},
        factory: () => void created.push('root') as any,
      }),
    ];
    const backend = createSpecializedBackend({ defaultServiceFactories: defaults });
    backend.add(plugin('a', { db: coreServices.database }));
    backend.add(plugin('a'));

    const error = await startError(backend.start());

    expect(created).toEqual([]);
    expect(error.message).toBe(
      [
        'BACKPLANE_INVALID_WIRING: The backend cannot start; the wiring check found 2 problems and started nothing:',
        "  1. BACKPLANE_DUPLICATE_PLUGIN: Plugin 'a' was added 2 times. Add each plugin once; to extend 'a', add a module made with createBackendModule({ pluginId: 'a' }).",
        "  2. BACKPLANE_MISSING_DEPENDENCY: Plugin 'a' depends on service 'core.database' (as 'db'), but no factory provides it. Add a service factory for 'core.database' with backend.add(), or remove the dependency.",
      ].join('\n'),
    );
    expect(error.code).toBe('BACKPLANE_INVALID_WIRING');
  });

  it('should name which plugin, module or factory wants each missing service', async () => {
    const needsCache = createServiceRef<string>({ id: 'test.needsCache' });
    const { messages } = await problemsOf(
      [
        plugin('catalog', { thing: needsCache }),
        module('catalog', 'github', { auth: coreServices.auth }),
      ],
      [
        createServiceFactory({
          service: needsCache,
          deps: { cache: coreServices.cache },
          factory: () => 'x',
        }),
      ],
    );

    expect(messages).toEqual([
      "BACKPLANE_MISSING_DEPENDENCY: The plugin service factory for 'test.needsCache' depends on service 'core.cache' (as 'cache'), but no factory provides it. Add a service factory for 'core.cache' with backend.add(), or remove the dependency.",
      "BACKPLANE_MISSING_DEPENDENCY: Module 'github' of plugin 'catalog' depends on service 'core.auth' (as 'auth'), but no factory provides it. Add a service factory for 'core.auth' with backend.add(), or remove the dependency.",
    ]);
  });

  it('should not report missing dependencies of default factories nobody uses', async () => {
    const unused = createServiceRef<string>({ id: 'test.unused' });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        createServiceFactory({
          service: unused,
          deps: { db: coreServices.database },
          factory: () => 'x',
        }),
      ],
    });
    backend.add(plugin('a'));

    await expect(backend.start()).resolves.toBeDefined();
  });

  it('should write out every dependency cycle as a chain', async () => {
    const a = createServiceRef<string>({ id: 'test.a' });
    const b = createServiceRef<string>({ id: 'test.b' });
    const c = createServiceRef<string>({ id: 'test.c', scope: 'root' });
    const { messages } = await problemsOf(
      [plugin('p', { a })],
      [
        createServiceFactory({ service: a, deps: { b }, factory: () => 'a' }),
        createServiceFactory({ service: b, deps: { a }, factory: () => 'b' }),
        createServiceFactory({ service: c, deps: { c }, factory: () => 'c' }),
      ],
    );

    expect(messages).toEqual([
      "BACKPLANE_DEPENDENCY_CYCLE: Service factories depend on each other in a cycle: 'test.a' -> 'test.b' -> 'test.a'. Break the cycle by removing one of these dependencies.",
      "BACKPLANE_DEPENDENCY_CYCLE: Service factories depend on each other in a cycle: 'test.c' -> 'test.c'. Break the cycle by removing one of these dependencies.",
    ]);
  });

  it('should report duplicate modules and duplicate service factories added explicitly', async () => {
    const ref = createServiceRef<string>({ id: 'test.thing' });
    const { messages } = await problemsOf([
      plugin('p'),
      module('p', 'm'),
      module('p', 'm'),
      createServiceFactory({ service: ref, deps: {}, factory: () => '1' }),
      createServiceFactory({ service: ref, deps: {}, factory: () => '2' }),
    ]);

    expect(messages).toEqual([
      "BACKPLANE_DUPLICATE_SERVICE_FACTORY: More than one service factory for 'test.thing' was added with backend.add(). Keep one factory per service; only multiton services take several factories.",
      "BACKPLANE_DUPLICATE_MODULE: Module 'm' of plugin 'p' was added more than once. Add each module once.",
    ]);
  });

  it('should reject a root factory that depends on a plugin-scoped service', async () => {
    const root = createServiceRef<string>({ id: 'test.root', scope: 'root' });
    const { messages } = await problemsOf(
      [plugin('p')],
      [
        createServiceFactory({
          service: root,
          deps: { logger: coreServices.logger } as any,
          factory: () => 'r',
        }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => ({}) as any,
        }),
      ],
    );

    expect(messages).toEqual([
      "BACKPLANE_ROOT_SCOPE_DEPENDENCY: The root service factory for 'test.root' depends on plugin-scoped service 'core.logger' (as 'logger'), but root services and feature loaders can only depend on root services. Depend on a root service instead (for example 'core.rootLogger' rather than 'core.logger').",
    ]);
  });

  it('should reject core.pluginMetadata and core.rootInstanceMetadata factories', async () => {
    const { messages } = await problemsOf([
      plugin('p'),
      createServiceFactory({
        service: coreServices.pluginMetadata,
        deps: {},
        factory: () => ({ getId: () => 'x' }),
      }),
      createServiceFactory({
        service: coreServices.rootInstanceMetadata,
        deps: {},
        factory: () => ({ getId: () => 'x', getInstalledPlugins: async () => [] }),
      }),
    ]);

    expect(messages).toEqual([
      "BACKPLANE_RESERVED_SERVICE: A service factory for 'core.pluginMetadata' was given through backend.add(), but the runtime provides 'core.pluginMetadata' itself and it cannot be replaced. Remove that factory.",
      "BACKPLANE_RESERVED_SERVICE: A service factory for 'core.rootInstanceMetadata' was given through backend.add(), but the runtime provides 'core.rootInstanceMetadata' itself. Remove that factory, or pass it as the 'rootInstanceMetadataFactory' option of createSpecializedBackend.",
    ]);
  });

  it("should reject an extension point in a plugin's own init and one used by another plugin's module", async () => {
    const ep = createExtensionPoint<object>({ id: 'catalog.processing' });
    const { messages } = await problemsOf([
      plugin('catalog', {}, reg => reg.registerExtensionPoint(ep, {})),
      plugin('search', { ep }),
      module('search', 'collator', { ep }),
    ]);

    expect(messages).toEqual([
      "BACKPLANE_EXTENSION_POINT_IN_PLUGIN_INIT: Plugin 'search' depends on extension point 'catalog.processing' (as 'ep') in its own init, but only modules can use extension points. Move that code into a module made with createBackendModule({ pluginId: 'catalog' }).",
      "BACKPLANE_FOREIGN_EXTENSION_POINT: Module 'collator' of plugin 'search' depends on extension point 'catalog.processing' (as 'ep'), which belongs to plugin 'catalog'. A module can only use extension points of its own plugin; to extend 'catalog', create the module with pluginId 'catalog'.",
    ]);
  });

  it('should report duplicate extension point ids and extension points nobody registers', async () => {
    const ep = createExtensionPoint<object>({ id: 'catalog.processing' });
    const other = createExtensionPoint<object>({ id: 'catalog.other' });
    const { messages } = await problemsOf([
      plugin('catalog', {}, reg => reg.registerExtensionPoint(ep, {})),
      module('catalog', 'extra', { other }, reg => reg.registerExtensionPoint(ep, {})),
    ]);

    expect(messages).toEqual([
      "BACKPLANE_DUPLICATE_EXTENSION_POINT: Extension point 'catalog.processing' is registered by plugin 'catalog' and by module 'extra' of plugin 'catalog'. Register each extension point id once.",
      "BACKPLANE_MISSING_DEPENDENCY: Module 'extra' of plugin 'catalog' depends on extension point 'catalog.other' (as 'other'), but no plugin or module registers it. Add the plugin or module that provides 'catalog.other', or remove the dependency.",
    ]);
  });

  it('should report a module whose plugin was not added', async () => {
    const { messages } = await problemsOf([module('catalog', 'github')]);

    expect(messages).toEqual([
      "BACKPLANE_MODULE_WITHOUT_PLUGIN: Module 'github' was added for plugin 'catalog', but plugin 'catalog' was not added. Add plugin 'catalog' with backend.add(), or remove the module.",
    ]);
  });

  it("should report modules that use each other's extension points in a cycle", async () => {
    const epA = createExtensionPoint<object>({ id: 'p.a' });
    const epB = createExtensionPoint<object>({ id: 'p.b' });
    const { messages } = await problemsOf([
      plugin('p'),
      module('p', 'a', { epB }, reg => reg.registerExtensionPoint(epA, {})),
      module('p', 'b', { epA }, reg => reg.registerExtensionPoint(epB, {})),
    ]);

    expect(messages).toEqual([
      "BACKPLANE_MODULE_CYCLE: Modules of plugin 'p' use each other's extension points in a cycle: 'a' -> 'b' -> 'a' (each uses an extension point of the next). Move one extension point, or the code using it, so that the modules do not depend on each other in a loop.",
    ]);
  });

  it('should report invalid plugin and module ids, also from hand-made features', async () => {
    const foreign = {
      $$type: '@backstage/BackendFeature',
      version: 'v1',
      featureType: 'registrations',
      getRegistrations: () => [
        {
          type: 'plugin',
          pluginId: 'Bad Id',
          extensionPoints: [],
          init: { deps: {}, func: () => {} },
        },
        {
          type: 'module-v1.1',
          pluginId: 'Bad Id',
          moduleId: '9lives',
          extensionPoints: [],
          init: { deps: {}, func: () => {} },
        },
      ],
    };
    const { messages } = await problemsOf([foreign]);

    expect(messages).toEqual([
      `BACKPLANE_INVALID_ID: Invalid pluginId 'Bad Id' in a feature from backend.add(): ${ID_RULE}. Use, for example, 'bad-id'.`,
      `BACKPLANE_INVALID_ID: Invalid pluginId 'Bad Id' of module '9lives' in a feature from backend.add(): ${ID_RULE}. Use, for example, 'bad-id'.`,
      `BACKPLANE_INVALID_ID: Invalid moduleId '9lives' in a feature from backend.add(): ${ID_RULE}. Use, for example, 'lives'.`,
    ]);
  });

  it('should report the invalid plugin id of a module in the wiring report, as Backstage creates the module', async () => {
    const { error } = await problemsOf([plugin('catalog'), module('Catalog Extras', 'github')]);

    expect(error.message).toBe(
      [
        'BACKPLANE_INVALID_WIRING: The backend cannot start; the wiring check found 2 problems and started nothing:',
        `  1. BACKPLANE_INVALID_ID: Invalid pluginId 'Catalog Extras' of module 'github' in a feature from backend.add(): ${ID_RULE}. Use, for example, 'catalog-extras'.`,
        "  2. BACKPLANE_MODULE_WITHOUT_PLUGIN: Module 'github' was added for plugin 'Catalog Extras', but plugin 'Catalog Extras' was not added. Add plugin 'Catalog Extras' with backend.add(), or remove the module.",
      ].join('\n'),
    );
  });

  it('should refuse plugin ids that differ only in case when plugins get routes', async () => {
    const httpRouter = createServiceFactory({
      service: coreServices.httpRouter,
      deps: {},
      factory: () => ({}) as any,
    });

    const { error } = await problemsOf(
      [plugin('todo'), plugin('TODO'), plugin('other')],
      [httpRouter],
    );

    expect(error.message).toBe(
      [
        'BACKPLANE_INVALID_WIRING: The backend cannot start; the wiring check found 1 problem and started nothing:',
        "  1. BACKPLANE_DUPLICATE_PLUGIN: Plugins 'todo' and 'TODO' have ids that differ only in case, but routes match case-insensitively, so both would be mounted at '/api/todo'. Add only one of them, or give one another id; prefer lowercase ids such as 'todo'.",
      ].join('\n'),
    );
  });

  it('should accept plugin ids that differ only in case when no plugin gets routes', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(plugin('todo'));
    backend.add(plugin('TODO'));

    const { result } = await backend.start();

    expect(result.plugins.map(p => p.pluginId)).toEqual(['todo', 'TODO']);
  });

  it('should point a module at its plugin when the plugin ids differ only in case', async () => {
    const { messages } = await problemsOf([plugin('todo'), module('TODO', 'extras')]);

    expect(messages).toEqual([
      "BACKPLANE_MODULE_WITHOUT_PLUGIN: Module 'extras' was added for plugin 'TODO', but plugin 'TODO' was not added. Plugin 'todo' was added; ids are case-sensitive, so create the module with pluginId 'todo'.",
    ]);
  });

  it('should accept the ids Backstage accepts: any case, and underscores', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });
    backend.add(plugin('UPPER'));
    backend.add(plugin('My_Plugin'));
    backend.add(module('My_Plugin', 'someModule'));

    const { result } = await backend.start();

    expect(result.plugins.map(p => p.pluginId)).toEqual(['UPPER', 'My_Plugin']);
  });

  it('should report deps that are not refs and registrations that cannot be read', async () => {
    const broken = createBackendPlugin({ pluginId: 'broken', register() {} });
    const { messages } = await problemsOf([plugin('p', { oops: 'core.logger' }), broken]);

    expect(messages).toEqual([
      "BACKPLANE_INVALID_REGISTRATION: Reading the registrations of a feature from backend.add() failed: Error: plugin 'broken' did not call registerInit in its register function; add one. Fix its register function (it must call registerInit exactly once, last).",
      "BACKPLANE_INVALID_DEPENDENCY: Plugin 'p' has dependency 'oops' set to a string 'core.logger', which is not a service ref. Use a ref from coreServices or one made by createServiceRef.",
    ]);
  });

  it('should check the wiring with the test doubles in place without false alarms', async () => {
    const doubles = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: doubles.factories });
    backend.add(
      plugin('p', { lifecycle: coreServices.lifecycle, config: coreServices.rootConfig }),
    );

    await expect(backend.start()).resolves.toBeDefined();
  });
});
