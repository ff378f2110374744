import type { DiscoveryService } from '@backplane/plugin-api';

/** A DiscoveryService that places every plugin at `<baseUrl>/api/<pluginId>`. */
export class MockDiscoveryService implements DiscoveryService {
  readonly #baseUrl: () => string;

  /** @param baseUrl - a URL, or a function read on every call (for a port known only later) */
  constructor(baseUrl: string | (() => string) = 'http://localhost:0') {
    this.#baseUrl = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  }

  async getBaseUrl(pluginId: string): Promise<string> {
    return `${this.#baseUrl()}/api/${pluginId}`;
  }

  async getExternalBaseUrl(pluginId: string): Promise<string> {
    return `${this.#baseUrl()}/api/${pluginId}`;
  }
}
