import type { ServiceFactory, ServiceRef } from '@backplane/plugin-api';

/** The fields of a service factory this registry reads (the shared wire format). */
interface FactoryLike {
  service: { id: string; scope: 'root' | 'plugin'; multiton?: boolean };
  deps: Record<string, RefLike>;
  factory(deps: Record<string, unknown>, context: unknown): unknown;
  createRootContext?(deps: Record<string, unknown>): unknown;
}

interface RefLike {
  id: string;
  scope: 'root' | 'plugin';
  multiton?: boolean;
  __defaultFactory?: (ref: RefLike) => Promise<unknown>;
}

interface LifecycleDriver {
  startup?(): Promise<void>;
  beforeShutdown?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/**
 * A small service registry for {@link ServiceFactoryTester}: it creates services on demand with
 * the same scoping rules as the runtime (root once, plugin once per plugin id, root context once
 * per factory, refs matched by id, multiton refs as arrays) and can shut down what it created.
 */
export class TestServiceRegistry {
  readonly #factories = new Map<string, FactoryLike[]>();
  readonly #rootInstances = new Map<FactoryLike, Promise<unknown>>();
  readonly #rootContexts = new Map<FactoryLike, Promise<unknown>>();
  readonly #pluginInstances = new Map<string, Promise<unknown>>();
  readonly #pluginIds = new Set<string>();

  /** Later factories replace earlier ones of the same singleton id; multiton ids add up. */
  constructor(factories: ReadonlyArray<ServiceFactory>) {
    for (const feature of factories) {
      this.#add(feature as unknown as FactoryLike);
    }
  }

  /** Resolves `ref` for `pluginId` (ignored for root services). */
  async get<T>(ref: ServiceRef<T, any, any>, pluginId: string): Promise<T> {
    return (await this.#get(ref as unknown as RefLike, pluginId, [])) as T;
  }

  /** Runs the root and plugin shutdown hooks of the lifecycle services that were created. */
  async shutdown(): Promise<void> {
    const root = (await this.#created('core.rootLifecycle')) as LifecycleDriver | undefined;
    const plugins = await Promise.all(
      [...this.#pluginIds].map(id => this.#created('core.lifecycle', id)),
    );
    await root?.beforeShutdown?.();
    await Promise.all(plugins.map(lifecycle => (lifecycle as LifecycleDriver)?.shutdown?.()));
    await root?.shutdown?.();
  }

  #add(factory: FactoryLike): void {
    const id = factory.service.id;
    const existing = this.#factories.get(id);
    if (factory.service.multiton && existing) {
      existing.push(factory);
    } else {
      this.#factories.set(id, [factory]);
    }
  }

  async #created(id: string, pluginId?: string): Promise<unknown> {
    const factory = this.#factories.get(id)?.[0];
    if (!factory) return undefined;
    const pending =
      factory.service.scope === 'root'
        ? this.#rootInstances.get(factory)
        : this.#pluginInstances.get(`${id}\u0000${pluginId}`);
    return pending?.catch(() => undefined);
  }

  async #get(ref: RefLike, pluginId: string, path: string[]): Promise<unknown> {
    if (ref.id === 'core.pluginMetadata') {
      return { getId: () => pluginId };
    }
    let factories = this.#factories.get(ref.id);
    if (!factories && ref.id === 'core.rootInstanceMetadata') {
      return { getId: () => 'test-instance', getInstalledPlugins: async () => [] };
    }
    if (!factories && ref.__defaultFactory) {
      const made = await ref.__defaultFactory(ref);
      this.#add((typeof made === 'function' ? made() : made) as FactoryLike);
      factories = this.#factories.get(ref.id);
    }
    if (ref.multiton) {
      return Promise.all((factories ?? []).map(f => this.#instantiate(f, pluginId, path)));
    }
    if (!factories) {
      const owner = path.length > 0 ? `'${path[path.length - 1]}'` : 'the test';
      throw new Error(
        `ServiceFactoryTester: no factory provides '${ref.id}', needed by ${owner}; ` +
          `pass one in the 'dependencies' option`,
      );
    }
    return this.#instantiate(factories[0], pluginId, path);
  }

  #instantiate(factory: FactoryLike, pluginId: string, path: string[]): Promise<unknown> {
    const id = factory.service.id;
    if (path.includes(id)) {
      throw new Error(
        `ServiceFactoryTester: circular dependency ${[...path, id].map(p => `'${p}'`).join(' -> ')}`,
      );
    }
    if (factory.service.scope === 'root') {
      let instance = this.#rootInstances.get(factory);
      if (!instance) {
        instance = this.#create(factory, undefined, [...path, id]);
        this.#rootInstances.set(factory, instance);
      }
      return instance;
    }
    const key = `${id}\u0000${pluginId}`;
    let instance = this.#pluginInstances.get(key);
    if (!instance) {
      this.#pluginIds.add(pluginId);
      instance = this.#create(factory, pluginId, [...path, id]);
      this.#pluginInstances.set(key, instance);
    }
    return instance;
  }

  async #create(factory: FactoryLike, pluginId: string | undefined, path: string[]) {
    const deps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(factory.deps ?? {})) {
      if (pluginId === undefined && this.#scopeOf(ref) === 'plugin') {
        throw new Error(
          `ServiceFactoryTester: root service '${factory.service.id}' depends on plugin-scoped '${ref.id}'; ` +
            `root services may depend on root services only`,
        );
      }
      deps[name] = await this.#get(ref, pluginId ?? 'root', path);
    }
    let context: unknown;
    if (pluginId !== undefined && factory.createRootContext) {
      let pending = this.#rootContexts.get(factory);
      if (!pending) {
        const rootDeps = Object.fromEntries(
          Object.entries(factory.deps ?? {}).filter(([, ref]) => this.#scopeOf(ref) === 'root'),
        );
        pending = Promise.resolve(factory.createRootContext(pickDeps(deps, rootDeps)));
        this.#rootContexts.set(factory, pending);
      }
      context = await pending;
    }
    return factory.factory(deps, context);
  }

  #scopeOf(ref: RefLike): 'root' | 'plugin' {
    return this.#factories.get(ref.id)?.[0]?.service.scope ?? ref.scope;
  }
}

function pickDeps(all: Record<string, unknown>, wanted: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(wanted).map(name => [name, all[name]]));
}
