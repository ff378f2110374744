import type { WiringProblem } from '../errors/BackendWiringError';
import type { FactoryLike, RefLike } from '../types';
import { capitalize } from '../types';

/**
 * Service ids the runtime provides itself; a factory for them is an error. The backend's
 * `rootInstanceMetadataFactory` option is the one way to replace `core.rootInstanceMetadata`.
 */
export const RESERVED_SERVICE_IDS: ReadonlySet<string> = new Set([
  'core.pluginMetadata',
  'core.rootInstanceMetadata',
]);

const ROOT_INSTANCE_METADATA = 'core.rootInstanceMetadata';

/**
 * Which factories provide each service id. Precedence: factories added with `backend.add()`,
 * then factories returned by feature loaders, then `defaultServiceFactories`, then the ref's own
 * default factory. Conflicts are collected into `problems`. A reserved id has a factory only when
 * the backend was given one in its options (`rootInstanceMetadataFactory`).
 */
export class ServiceFactoryTable {
  readonly problems: WiringProblem[] = [];
  readonly #added = new Map<string, FactoryLike[]>();
  readonly #loaded = new Map<string, Array<{ factory: FactoryLike; source: string }>>();
  readonly #defaults = new Map<string, FactoryLike[]>();
  readonly #fromRefs = new Map<string, FactoryLike[]>();
  readonly #reported = new Set<string>();
  readonly #builtIn = new Map<string, FactoryLike[]>();

  constructor(
    defaultFactories: FactoryLike[],
    options: { rootInstanceMetadataFactory?: FactoryLike } = {},
  ) {
    if (options.rootInstanceMetadataFactory) {
      this.#builtIn.set(ROOT_INSTANCE_METADATA, [options.rootInstanceMetadataFactory]);
    }
    for (const factory of defaultFactories) {
      const id = factory.service.id;
      if (this.#checkReserved(factory, 'defaultServiceFactories')) {
        continue;
      }
      const list = this.#defaults.get(id) ?? [];
      if (list.length > 0 && !factory.service.multiton) {
        this.#duplicate(id, `defaultServiceFactories holds more than one factory for '${id}'`);
        continue;
      }
      this.#defaults.set(id, [...list, factory]);
    }
  }

  /** A factory passed to `backend.add()`. */
  addExplicit(factory: FactoryLike): void {
    const id = factory.service.id;
    if (this.#checkReserved(factory, 'backend.add()')) {
      return;
    }
    const list = this.#added.get(id) ?? [];
    if (list.length > 0 && !factory.service.multiton) {
      this.#duplicate(id, `More than one service factory for '${id}' was added with backend.add()`);
      return;
    }
    this.#added.set(id, [...list, factory]);
  }

  /**
   * A factory returned by a feature loader. Ignored when `backend.add()` provided the id; an
   * error when another loader provided it too, or when the id was already created.
   */
  addLoaded(factory: FactoryLike, source: string, isCreated: (id: string) => boolean): void {
    const id = factory.service.id;
    if (this.#added.has(id) || this.#checkReserved(factory, source)) {
      return;
    }
    const list = this.#loaded.get(id) ?? [];
    if (list.length > 0 && !factory.service.multiton) {
      const other = list[0].source;
      this.#duplicate(
        id,
        `Both ${other} and ${source} provide a factory for service '${id}'`,
        `Keep one, or add the one you want with backend.add(), which takes precedence over loaded factories.`,
      );
      return;
    }
    if (isCreated(id)) {
      this.problems.push({
        code: 'BACKPLANE_LOADED_SERVICE_TOO_LATE',
        message:
          `${capitalize(source)} provided a factory for service '${id}', but '${id}' was ` +
          `already created so that a feature loader could run. Add this factory with ` +
          `backend.add() instead of loading it.`,
      });
      return;
    }
    this.#loaded.set(id, [...list, { factory, source }]);
  }

  /** The factory a ref's `defaultFactory` produced, used when nothing else provides the id. */
  addFromRef(factory: FactoryLike): void {
    this.#fromRefs.set(factory.service.id, [factory]);
  }

  /** The factories that provide `id`, or undefined when none does. */
  get(id: string): FactoryLike[] | undefined {
    return (
      this.#builtIn.get(id) ??
      this.#added.get(id) ??
      this.#loaded.get(id)?.map(entry => entry.factory) ??
      this.#defaults.get(id) ??
      this.#fromRefs.get(id)
    );
  }

  /** True when a factory provides `id`, or the runtime synthesizes it. */
  provides(id: string): boolean {
    return RESERVED_SERVICE_IDS.has(id) || !!this.get(id);
  }

  /** The scope a service lives in: its factory's scope, else the ref's own. */
  scopeOf(ref: RefLike): 'root' | 'plugin' {
    if (ref.id === 'core.pluginMetadata') {
      return 'plugin';
    }
    if (ref.id === ROOT_INSTANCE_METADATA) {
      return 'root';
    }
    return this.get(ref.id)?.[0]?.service.scope ?? ref.scope;
  }

  /** True when `backend.add()` provided `id`. */
  isAdded(id: string): boolean {
    return this.#added.has(id);
  }

  /** Every service id that has a factory, in the order they became known. */
  ids(): string[] {
    const ids = new Set<string>();
    for (const map of [this.#builtIn, this.#added, this.#loaded, this.#defaults, this.#fromRefs]) {
      for (const id of map.keys()) {
        ids.add(id);
      }
    }
    return [...ids];
  }

  /** The factories in effect for every id. */
  all(): FactoryLike[] {
    return this.ids().flatMap(id => this.get(id) ?? []);
  }

  #checkReserved(factory: FactoryLike, origin: string): boolean {
    const id = factory.service.id;
    if (!RESERVED_SERVICE_IDS.has(id)) {
      return false;
    }
    if (!this.#reported.has(`reserved:${id}`)) {
      this.#reported.add(`reserved:${id}`);
      const fix =
        id === ROOT_INSTANCE_METADATA
          ? `itself. Remove that factory, or pass it as the 'rootInstanceMetadataFactory' ` +
            `option of createSpecializedBackend.`
          : `itself and it cannot be replaced. Remove that factory.`;
      this.problems.push({
        code: 'BACKPLANE_RESERVED_SERVICE',
        message:
          `A service factory for '${id}' was given through ${origin}, but the runtime provides ` +
          `'${id}' ${fix}`,
      });
    }
    return true;
  }

  #duplicate(id: string, what: string, fix?: string) {
    if (this.#reported.has(`duplicate:${id}`)) {
      return;
    }
    this.#reported.add(`duplicate:${id}`);
    this.problems.push({
      code: 'BACKPLANE_DUPLICATE_SERVICE_FACTORY',
      message:
        `${what}. ` +
        (fix ?? `Keep one factory per service; only multiton services take several factories.`),
    });
  }
}
