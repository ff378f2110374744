/** Finds the base URLs of plugins. */
export interface DiscoveryService {
  /** The URL other backend code uses to reach `pluginId`, e.g. `http://localhost:7007/api/catalog`. */
  getBaseUrl(pluginId: string): Promise<string>;
  /** The URL a browser or outside caller uses to reach `pluginId`. */
  getExternalBaseUrl(pluginId: string): Promise<string>;
}
