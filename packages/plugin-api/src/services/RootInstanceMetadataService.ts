/** One installed plugin and its modules. */
export interface BackendFeatureMeta {
  pluginId: string;
  modules: ReadonlyArray<{ moduleId: string }>;
}

/** Facts about this backend instance. */
export interface RootInstanceMetadataService {
  getId(): string;
  getInstalledPlugins(): Promise<ReadonlyArray<BackendFeatureMeta>>;
}
