import { fullConfigKey } from '@backplane/plugin-api';
import type { Config, DiscoveryService, RootConfigService } from '@backplane/plugin-api';
import { checkHttpUrl } from './checkHttpUrl';

/** Options for {@link HostDiscovery.fromConfig}. */
export interface HostDiscoveryOptions {
  /** The path plugins are mounted under; defaults to `/api`. */
  basePath?: string;
}

interface Endpoint {
  plugins: string[];
  internal?: string;
  external?: string;
}

const DEFAULT_PORT = 7007;
const ANY_HOST = new Set(['', '0.0.0.0', '::', '[::]']);
const PLUGIN_ID_PLACEHOLDER = /\{\{\s*pluginId\s*\}\}/g;

function invalidListen(detail: string): Error {
  return new Error(
    `Invalid config value at 'backend.listen': ${detail}; ` +
      "write it as ':7007', 'host:7007' or { host, port }",
  );
}

/**
 * Reads `backend.listen` as a host and port, accepting `host:port`, `:port`, `port` or an object.
 */
export function readListenAddress(config: Config): { host: string; port: number } {
  let host = '';
  let port: number | string | undefined;

  const listen = config.getOptional('backend.listen');
  if (typeof listen === 'string' || typeof listen === 'number') {
    const text = String(listen).trim();
    const match = /^(?:(?:\[([^\]]*)\]|([^:]*)):)?(\d+)$/.exec(text);
    if (!match) throw invalidListen(`'${text}' is not an address`);
    host = match[1] ?? match[2] ?? '';
    port = match[3];
  } else if (listen !== undefined) {
    host = config.getOptionalString('backend.listen.host') ?? '';
    port = config.getOptionalNumber('backend.listen.port');
  }

  const portNumber = port === undefined ? DEFAULT_PORT : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw invalidListen(`port ${String(port)} is out of range`);
  }
  return { host, port: portNumber };
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Reads a `discovery.endpoints[].target` URL, checked with `{{pluginId}}` filled in. */
function readTarget(config: Config, key: string): string {
  const target = config.getString(key);
  checkHttpUrl(target.replace(PLUGIN_ID_PLACEHOLDER, 'plugin'), {
    key: fullConfigKey(config, key),
    example: 'http://catalog.internal:7007/api/{{pluginId}}',
  });
  return target;
}

function readEndpoints(config: Config): Endpoint[] {
  return (config.getOptionalConfigArray('discovery.endpoints') ?? []).map(entry => {
    const plugins = entry.getStringArray('plugins');
    if (typeof entry.getOptional('target') === 'string') {
      const target = readTarget(entry, 'target');
      return { plugins, internal: target, external: target };
    }
    const target = entry.getConfig('target');
    const side = (name: string) => (target.has(name) ? readTarget(target, name) : undefined);
    return { plugins, internal: side('internal'), external: side('external') };
  });
}

/**
 * Finds plugin URLs from configuration. The internal URL is built from `backend.listen`
 * (`http://<host or localhost>:<port><basePath>/<pluginId>`, `https` when `backend.https` is set),
 * the external one from `backend.baseUrl` (falling back to the internal one). Entries of
 * `discovery.endpoints` point listed plugins elsewhere; `{{pluginId}}` in a target is replaced by
 * the plugin id.
 *
 * @example
 * ```ts
 * const discovery = HostDiscovery.fromConfig(config);
 * await discovery.getBaseUrl('catalog'); // 'http://localhost:7007/api/catalog'
 * ```
 */
export class HostDiscovery implements DiscoveryService {
  #internalBase = '';
  #externalBase = '';
  #endpoints: Endpoint[] = [];

  /** Reads the config now and again whenever a watched config changes. */
  static fromConfig(config: Config, options: HostDiscoveryOptions = {}): HostDiscovery {
    const discovery = new HostDiscovery();
    const basePath = options.basePath ?? '/api';
    discovery.#read(config, basePath);
    (config as Partial<RootConfigService>).subscribe?.(() => {
      try {
        discovery.#read(config, basePath);
      } catch (error) {
        // Keep the last good URLs. Discovery has no logger (it serves the root), so it warns the
        // way a failed config reload does.
        process.emitWarning(
          `Discovery keeps its previous URLs, since the reloaded configuration is invalid: ` +
            `${(error as Error).message}`,
          'BackplaneConfigWarning',
        );
      }
    });
    return discovery;
  }

  private constructor() {}

  async getBaseUrl(pluginId: string): Promise<string> {
    const endpoint = this.#endpointFor(pluginId, 'internal');
    return endpoint ?? `${this.#internalBase}/${pluginId}`;
  }

  async getExternalBaseUrl(pluginId: string): Promise<string> {
    const endpoint = this.#endpointFor(pluginId, 'external');
    return endpoint ?? `${this.#externalBase}/${pluginId}`;
  }

  #endpointFor(pluginId: string, kind: 'internal' | 'external'): string | undefined {
    const endpoint = this.#endpoints.find(candidate => candidate.plugins.includes(pluginId));
    return endpoint?.[kind]?.replace(PLUGIN_ID_PLACEHOLDER, pluginId);
  }

  #read(config: Config, basePath: string): void {
    const { host, port } = readListenAddress(config);
    const protocol = config.getOptional('backend.https') ? 'https' : 'http';
    let hostname = ANY_HOST.has(host) ? 'localhost' : host;
    if (hostname.includes(':')) hostname = `[${hostname}]`;
    const path = basePath === '/' ? '' : trimSlashes(basePath);

    const internal = `${protocol}://${hostname}:${port}${path}`;
    if (!URL.canParse(internal)) {
      throw invalidListen(`'${host}' is not a host name or address`);
    }
    const baseUrl = config.getOptionalString('backend.baseUrl');
    if (baseUrl !== undefined) {
      checkHttpUrl(baseUrl, { key: 'backend.baseUrl', example: 'https://backstage.example.com' });
    }
    this.#endpoints = readEndpoints(config);
    this.#internalBase = internal;
    this.#externalBase = baseUrl ? `${trimSlashes(baseUrl)}${path}` : internal;
  }
}
