/** Facts about the plugin the service was created for. */
export interface PluginMetadataService {
  getId(): string;
}
