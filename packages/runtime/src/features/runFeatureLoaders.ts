import { BackendWiringError } from '../errors/BackendWiringError';
import type { WiringProblem } from '../errors/BackendWiringError';
import { BackplaneError, describeError } from '../errors/BackplaneError';
import type { ServiceFactoryTable } from '../services/ServiceFactoryTable';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { LoaderLike } from '../types';
import { capitalize } from '../types';
import { validateServiceGraph } from '../validation/validateServiceGraph';
import { classifyFeature, unwrapFeature } from './unwrapFeature';

/** A registrations feature and where it came from. */
export interface SourcedRegistrations {
  feature: { getRegistrations(): unknown };
  source: string;
}

/**
 * Runs feature loaders, and the loaders they return, one after another. Before each loader runs,
 * the services it needs are checked; any problem stops the start with every problem known so
 * far. Loaded service factories go into the table, loaded plugins and modules into `features`.
 */
export async function runFeatureLoaders(options: {
  loaders: LoaderLike[];
  table: ServiceFactoryTable;
  registry: ServiceRegistry;
  features: SourcedRegistrations[];
  problems: WiringProblem[];
}): Promise<void> {
  const { table, registry, features, problems } = options;
  const queue = [...options.loaders];

  while (queue.length > 0) {
    const loader = queue.shift()!;
    const source = describeLoader(loader);
    const deps = loader.deps ?? {};
    const graphProblems = await validateServiceGraph({
      table,
      consumers: [{ description: capitalize(source), deps, rootOnly: true }],
      includeEager: false,
    });
    const known = [...problems, ...table.problems, ...graphProblems];
    if (graphProblems.length > 0) {
      throw new BackendWiringError(known);
    }

    const resolved = await registry.resolveDeps(deps as never, undefined);
    let items: unknown[];
    try {
      items = await collect(await loader.loader(resolved));
    } catch (error) {
      throw new BackplaneError(
        'BACKPLANE_FEATURE_LOADER_FAILED',
        `${capitalize(source)} failed: ${describeError(error)}. Fix the loader, or remove it ` +
          `from the backend.`,
        { cause: error },
      );
    }

    for (const item of items) {
      try {
        const origin = capitalize(source);
        const classified = classifyFeature(unwrapFeature(item, origin), origin);
        if (classified.kind === 'service') {
          table.addLoaded(classified.factory, source, id => registry.isRootCreated(id));
        } else if (classified.kind === 'loader') {
          queue.push(classified.loader);
        } else {
          features.push({ feature: classified.feature, source });
        }
      } catch (error) {
        if (!(error instanceof BackplaneError)) {
          throw error;
        }
        problems.push({ code: error.code, message: error.detail });
      }
    }
  }
}

/** `feature loader created at '<site>'`, from the loader's description. */
function describeLoader(loader: LoaderLike): string {
  return typeof loader.description === 'string' && loader.description.length > 0
    ? `feature loader ${loader.description}`
    : 'a feature loader';
}

/** Accepts an array, any iterable or async iterable, each item possibly a promise. */
async function collect(output: unknown): Promise<unknown[]> {
  const items: unknown[] = [];
  if (output && typeof (output as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const item of output as AsyncIterable<unknown>) {
      items.push(await item);
    }
    return items;
  }
  if (output && typeof (output as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const item of output as Iterable<unknown>) {
      items.push(await item);
    }
    return items;
  }
  throw new TypeError('the loader did not return an array or iterable of features');
}
