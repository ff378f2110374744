import { BackplaneError } from '../errors/BackplaneError';
import { ServiceFactoryError } from '../errors/ServiceFactoryError';
import type { FactoryLike, RefLike } from '../types';
import type { ServiceFactoryTable } from './ServiceFactoryTable';

const PLUGIN_METADATA = 'core.pluginMetadata';
const ROOT_INSTANCE_METADATA = 'core.rootInstanceMetadata';

/**
 * Creates services on demand and caches them: root services once per factory, plugin services
 * once per (factory, plugin id), `createRootContext` once per factory. Refs are matched by id.
 * `core.pluginMetadata` and `core.rootInstanceMetadata` are synthesized here, the latter unless
 * the table holds a factory for it (the backend's `rootInstanceMetadataFactory` option).
 */
export class ServiceRegistry {
  readonly #table: ServiceFactoryTable;
  readonly #rootInstanceMetadata: unknown;
  readonly #rootInstances = new Map<FactoryLike, Promise<unknown>>();
  readonly #rootContexts = new Map<FactoryLike, Promise<unknown>>();
  readonly #pluginInstances = new Map<FactoryLike, Map<string, Promise<unknown>>>();
  readonly #pluginMetadata = new Map<string, { getId(): string }>();

  constructor(options: { table: ServiceFactoryTable; rootInstanceMetadata: unknown }) {
    this.#table = options.table;
    this.#rootInstanceMetadata = options.rootInstanceMetadata;
  }

  /** True when a root instance of `id` was created or is being created. */
  isRootCreated(id: string): boolean {
    return (this.#table.get(id) ?? []).some(factory => this.#rootInstances.has(factory));
  }

  /** The instance of a plugin-scoped singleton `id` for `pluginId`, if it was created. */
  findCreated(id: string, pluginId?: string): Promise<unknown> | undefined {
    const factory = this.#table.get(id)?.[0];
    if (!factory) {
      return undefined;
    }
    if (factory.service.scope === 'root') {
      return this.#rootInstances.get(factory);
    }
    return pluginId === undefined ? undefined : this.#pluginInstances.get(factory)?.get(pluginId);
  }

  /**
   * Resolves a ref for a plugin (or for the root scope when `pluginId` is undefined). Multiton
   * refs resolve to an array of every factory's result, `[]` when none is registered.
   */
  async get(ref: RefLike, pluginId?: string): Promise<unknown> {
    if (ref.id === PLUGIN_METADATA) {
      return this.#metadataFor(ref, pluginId);
    }
    if (ref.id === ROOT_INSTANCE_METADATA && !this.#table.get(ref.id)) {
      return this.#rootInstanceMetadata;
    }
    const factories = this.#table.get(ref.id) ?? [];
    const multiton = ref.multiton ?? factories[0]?.service.multiton ?? false;
    if (multiton) {
      return Promise.all(factories.map(factory => this.#instantiate(factory, pluginId)));
    }
    if (factories.length === 0) {
      throw this.#missing(ref, pluginId);
    }
    return this.#instantiate(factories[0], pluginId);
  }

  /** Resolves a whole deps record of service refs. */
  async resolveDeps(
    deps: Record<string, RefLike>,
    pluginId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      Object.entries(deps).map(async ([name, ref]) => [name, await this.get(ref, pluginId)]),
    );
    return Object.fromEntries(entries);
  }

  /** Creates every root service whose initialization is not 'lazy'. */
  async instantiateEagerRootServices(): Promise<void> {
    const eager = this.#table
      .all()
      .filter(f => f.service.scope === 'root' && f.initialization !== 'lazy');
    await Promise.all(eager.map(factory => this.#instantiate(factory, undefined)));
  }

  /** Creates, for one plugin, every plugin service whose initialization is 'always'. */
  async instantiateAlwaysServices(pluginId: string): Promise<void> {
    const always = this.#table
      .all()
      .filter(f => f.service.scope === 'plugin' && f.initialization === 'always');
    await Promise.all(always.map(factory => this.#instantiate(factory, pluginId)));
  }

  #instantiate(factory: FactoryLike, pluginId: string | undefined): Promise<unknown> {
    if (factory.service.scope === 'root') {
      let instance = this.#rootInstances.get(factory);
      if (!instance) {
        instance = this.#create(factory, undefined);
        this.#rootInstances.set(factory, instance);
      }
      return instance;
    }
    if (pluginId === undefined) {
      return Promise.reject(
        new BackplaneError(
          'BACKPLANE_ROOT_SCOPE_DEPENDENCY',
          `Plugin-scoped service '${factory.service.id}' was requested from the root scope. ` +
            `Root services and feature loaders can only depend on root services.`,
        ),
      );
    }
    let perPlugin = this.#pluginInstances.get(factory);
    if (!perPlugin) {
      perPlugin = new Map();
      this.#pluginInstances.set(factory, perPlugin);
    }
    let instance = perPlugin.get(pluginId);
    if (!instance) {
      instance = this.#create(factory, pluginId);
      perPlugin.set(pluginId, instance);
    }
    return instance;
  }

  async #create(factory: FactoryLike, pluginId: string | undefined): Promise<unknown> {
    const id = factory.service.id;
    const context = pluginId === undefined ? undefined : await this.#rootContext(factory);
    const deps = await this.resolveDeps(factory.deps, pluginId);
    try {
      return await factory.factory(deps, context);
    } catch (error) {
      throw new ServiceFactoryError({ serviceId: id, pluginId, step: 'factory', cause: error });
    }
  }

  #rootContext(factory: FactoryLike): Promise<unknown> {
    if (!factory.createRootContext) {
      return Promise.resolve(undefined);
    }
    let context = this.#rootContexts.get(factory);
    if (!context) {
      context = this.#createRootContext(factory);
      this.#rootContexts.set(factory, context);
    }
    return context;
  }

  async #createRootContext(factory: FactoryLike): Promise<unknown> {
    const id = factory.service.id;
    const rootDeps = Object.fromEntries(
      Object.entries(factory.deps).filter(([, ref]) => this.#table.scopeOf(ref) === 'root'),
    );
    const deps = await this.resolveDeps(rootDeps, undefined);
    try {
      return await factory.createRootContext!(deps);
    } catch (error) {
      throw new ServiceFactoryError({ serviceId: id, step: 'rootContext', cause: error });
    }
  }

  #metadataFor(ref: RefLike, pluginId: string | undefined) {
    if (pluginId === undefined) {
      throw new BackplaneError(
        'BACKPLANE_ROOT_SCOPE_DEPENDENCY',
        `Plugin-scoped service '${ref.id}' was requested from the root scope. ` +
          `Root services and feature loaders can only depend on root services.`,
      );
    }
    let metadata = this.#pluginMetadata.get(pluginId);
    if (!metadata) {
      metadata = Object.freeze({ getId: () => pluginId });
      this.#pluginMetadata.set(pluginId, metadata);
    }
    return metadata;
  }

  #missing(ref: RefLike, pluginId: string | undefined) {
    const forWhom = pluginId === undefined ? 'the root scope' : `plugin '${pluginId}'`;
    return new BackplaneError(
      'BACKPLANE_MISSING_DEPENDENCY',
      `Service '${ref.id}' was requested for ${forWhom}, but no factory provides it. ` +
        `Add a service factory for '${ref.id}' with backend.add().`,
    );
  }
}
