import { describeError, toError } from '../errors/BackplaneError';
import type { WiringProblem } from '../errors/BackendWiringError';
import { describeValue } from '../features/describeValue';
import { classifyFeature, unwrapFeature } from '../features/unwrapFeature';
import type { ServiceFactoryTable } from '../services/ServiceFactoryTable';
import { RESERVED_SERVICE_IDS } from '../services/ServiceFactoryTable';
import type { FactoryLike, RefLike } from '../types';
import { isServiceRef } from '../types';
import { findCycles, formatChain } from './findCycles';

/** Something that depends on services: a plugin or module init, or a feature loader. */
export interface ServiceConsumer {
  /** Sentence start naming it, like `Plugin 'catalog'`. */
  description: string;
  /** Service refs only; extension points are checked with the registrations. */
  deps: Record<string, unknown>;
  /** True for feature loaders, which may depend on root services only. */
  rootOnly: boolean;
}

/**
 * Checks the service side of the wiring before anything is created, and resolves the
 * `defaultFactory` of refs nobody provides. With `includeEager`, the walk also starts from every
 * eager root factory and every 'always' plugin factory, and cycles are looked for in the whole
 * table; without it, only what the consumers reach is checked.
 */
export async function validateServiceGraph(options: {
  table: ServiceFactoryTable;
  consumers: ServiceConsumer[];
  includeEager: boolean;
}): Promise<WiringProblem[]> {
  const { table, consumers, includeEager } = options;
  const problems: WiringProblem[] = [];
  const visited = new Set<FactoryLike>();
  const triedDefaults = new Set<string>();

  const checkDep = async (name: string, dep: unknown, owner: string, rootOnly: boolean) => {
    if (!isServiceRef(dep)) {
      problems.push(invalidDependency(owner, name, dep));
      return;
    }
    await resolveRefDefault(table, dep, triedDefaults, problems);
    const multiton = dep.multiton ?? table.get(dep.id)?.[0]?.service.multiton ?? false;
    if (!table.provides(dep.id) && !multiton) {
      problems.push(missingService(owner, name, dep.id));
      return;
    }
    if (rootOnly && table.scopeOf(dep) === 'plugin') {
      problems.push(rootScopeDependency(owner, name, dep.id));
    }
    for (const factory of table.get(dep.id) ?? []) {
      await visitFactory(factory);
    }
  };

  const visitFactory = async (factory: FactoryLike) => {
    if (visited.has(factory)) {
      return;
    }
    visited.add(factory);
    const owner = factoryOwner(factory);
    for (const [name, dep] of Object.entries(factory.deps)) {
      await checkDep(name, dep, owner, factory.service.scope === 'root');
    }
  };

  for (const consumer of consumers) {
    for (const [name, dep] of Object.entries(consumer.deps)) {
      await checkDep(name, dep, consumer.description, consumer.rootOnly);
    }
  }
  if (includeEager) {
    for (const factory of table.all()) {
      const eagerRoot = factory.service.scope === 'root' && factory.initialization !== 'lazy';
      const always = factory.service.scope === 'plugin' && factory.initialization === 'always';
      if (eagerRoot || always) {
        await visitFactory(factory);
      }
    }
    problems.push(...unreachedScopeProblems(table, visited));
  }

  const nodes = includeEager ? table.ids() : [...visited].map(f => f.service.id);
  const edgesOf = (id: string) =>
    (table.get(id) ?? []).flatMap(f =>
      Object.values(f.deps).flatMap(dep =>
        isServiceRef(dep) && table.get(dep.id) ? [dep.id] : [],
      ),
    );
  for (const chain of findCycles(nodes, edgesOf)) {
    problems.push({
      code: 'BACKPLANE_DEPENDENCY_CYCLE',
      message:
        `Service factories depend on each other in a cycle: ${formatChain(chain)}. ` +
        `Break the cycle by removing one of these dependencies.`,
    });
  }
  return problems;
}

/** Root factories nobody reaches are not created, but depending on plugin scope is still a bug. */
function unreachedScopeProblems(table: ServiceFactoryTable, visited: Set<FactoryLike>) {
  const problems: WiringProblem[] = [];
  for (const factory of table.all()) {
    if (visited.has(factory) || factory.service.scope !== 'root') {
      continue;
    }
    for (const [name, dep] of Object.entries(factory.deps)) {
      if (isServiceRef(dep) && table.scopeOf(dep) === 'plugin') {
        problems.push(rootScopeDependency(factoryOwner(factory), name, dep.id));
      }
    }
  }
  return problems;
}

/**
 * When no factory provides `ref.id`, asks the ref's `defaultFactory` (which may resolve to a
 * factory or to a function returning one) and records the result in the table.
 */
async function resolveRefDefault(
  table: ServiceFactoryTable,
  ref: RefLike,
  tried: Set<string>,
  problems: WiringProblem[],
): Promise<void> {
  const id = ref.id;
  if (tried.has(id) || table.provides(id) || RESERVED_SERVICE_IDS.has(id)) {
    return;
  }
  tried.add(id);
  if (typeof ref.__defaultFactory !== 'function') {
    return;
  }
  try {
    let result: unknown = await ref.__defaultFactory(ref);
    if (typeof result === 'function' && !('$$type' in result)) {
      result = (result as () => unknown)();
    }
    const origin = `the defaultFactory of service ref '${id}'`;
    const classified = classifyFeature(unwrapFeature(result, origin), origin);
    if (classified.kind !== 'service' || classified.factory.service.id !== id) {
      throw new Error(`it returned ${describeValue(result)}, not a service factory for '${id}'`);
    }
    table.addFromRef(classified.factory);
  } catch (error) {
    problems.push({
      code: 'BACKPLANE_INVALID_FEATURE',
      message:
        `The defaultFactory of service ref '${id}' failed: ${describeError(error)}. ` +
        `Add a service factory for '${id}' with backend.add(), or fix the ref's defaultFactory.`,
      cause: toError(error),
    });
  }
}

function factoryOwner(factory: FactoryLike): string {
  const scope = factory.service.scope === 'root' ? 'root' : 'plugin';
  return `The ${scope} service factory for '${factory.service.id}'`;
}

function missingService(owner: string, name: string, id: string): WiringProblem {
  return {
    code: 'BACKPLANE_MISSING_DEPENDENCY',
    message:
      `${owner} depends on service '${id}' (as '${name}'), but no factory provides it. ` +
      `Add a service factory for '${id}' with backend.add(), or remove the dependency.`,
  };
}

function rootScopeDependency(owner: string, name: string, id: string): WiringProblem {
  return {
    code: 'BACKPLANE_ROOT_SCOPE_DEPENDENCY',
    message:
      `${owner} depends on plugin-scoped service '${id}' (as '${name}'), but root services ` +
      `and feature loaders can only depend on root services. Depend on a root service ` +
      `instead (for example 'core.rootLogger' rather than 'core.logger').`,
  };
}

/** A dep that is not a service ref (nor, where allowed, an extension point). */
export function invalidDependency(
  owner: string,
  name: string,
  dep: unknown,
  extensionPointsAllowed = false,
): WiringProblem {
  const expected = extensionPointsAllowed ? 'a service ref or an extension point' : 'a service ref';
  return {
    code: 'BACKPLANE_INVALID_DEPENDENCY',
    message:
      `${owner} has dependency '${name}' set to ${describeValue(dep)}, which is not ` +
      `${expected}. Use a ref from coreServices or one made by createServiceRef` +
      (extensionPointsAllowed ? ' or createExtensionPoint.' : '.'),
  };
}
