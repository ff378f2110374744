import type { BackendFeatureMeta } from './RootInstanceMetadataService';

/** Facts about the whole deployment. */
export interface RootSystemMetadataService {
  getInstalledPlugins(): Promise<ReadonlyArray<BackendFeatureMeta>>;
}
