import type { BackendFeature, ResolvedDeps, ServiceRef } from './types';

type LoaderResult =
  | Iterable<BackendFeature | Promise<{ default: BackendFeature }>>
  | AsyncIterable<BackendFeature | { default: BackendFeature }>
  | Promise<Iterable<BackendFeature | Promise<{ default: BackendFeature }>>>;

/** Options for {@link createBackendFeatureLoader}. */
export interface CreateBackendFeatureLoaderOptions<
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
> {
  deps?: TDeps;
  loader(deps: ResolvedDeps<TDeps>): LoaderResult;
}

/**
 * Creates a feature that, at start, produces more features from root services, for example a
 * list of plugins read from config.
 */
export function createBackendFeatureLoader<
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
>(options: CreateBackendFeatureLoaderOptions<TDeps>): BackendFeature {
  const site = new Error().stack?.split('\n')[2]?.trim().replace(/^at /, '') ?? 'unknown';
  return {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'loader',
    description: `created at '${site}'`,
    deps: options.deps ?? {},
    async loader(deps: ResolvedDeps<TDeps>) {
      const it = await options.loader(deps);
      const result: BackendFeature[] = [];
      for await (const item of it as AsyncIterable<any>) {
        const awaited = await item;
        result.push(awaited?.default?.$$type ? awaited.default : awaited);
      }
      return result;
    },
  } as BackendFeature;
}
