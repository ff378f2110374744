import { InputError, NotFoundError } from '@backplane/plugin-api';
import type { Config, JsonObject } from '@backplane/plugin-api';
import type { Connection, ConnectionsService } from '@backplane/plugin-api/alpha';

interface ConfiguredConnection extends JsonObject {
  type: string;
  title?: string;
  match?: { plugins?: string[] };
  auth?: Array<JsonObject & { method: string; match?: { plugins?: string[] } }>;
}

function visibleTo(pluginId: string, match: { plugins?: string[] } | undefined): boolean {
  return !match?.plugins || match.plugins.includes(pluginId);
}

function hostOf(url: unknown): string | undefined {
  try {
    return new URL(String(url)).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The connections listed under `connections` in config, for all plugins. Each entry has a
 * `type`, its own fields (like `host`), an optional `match.plugins` and a list of `auth` methods.
 */
export class DefaultConnectionsService {
  readonly #connections: ConfiguredConnection[];

  /** Reads and checks the `connections` config. */
  static fromConfig(config: Config): DefaultConnectionsService {
    const raw = config.getOptional<unknown>('connections');
    if (raw === undefined) {
      return new DefaultConnectionsService([]);
    }
    if (!Array.isArray(raw)) {
      throw new InputError("Config 'connections' must be a list of connection objects.");
    }
    raw.forEach((entry, index) => {
      if (!entry || typeof entry !== 'object' || typeof (entry as JsonObject).type !== 'string') {
        throw new InputError(`Config 'connections[${index}]' needs a 'type'.`);
      }
      const auth = (entry as JsonObject).auth;
      if (
        auth !== undefined &&
        (!Array.isArray(auth) || auth.some(a => typeof (a as JsonObject)?.method !== 'string'))
      ) {
        throw new InputError(
          `Config 'connections[${index}].auth' must be a list of entries that each have a 'method'.`,
        );
      }
    });
    return new DefaultConnectionsService(raw as ConfiguredConnection[]);
  }

  private constructor(connections: ConfiguredConnection[]) {
    this.#connections = connections;
  }

  /** The view of one plugin: it sees the connections and auth entries that match it. */
  forPlugin(pluginId: string): ConnectionsService {
    return { find: options => this.#find(pluginId, options) };
  }

  async #find(
    pluginId: string,
    options: { type: string; query?: Record<string, unknown>; authMethods?: readonly string[] },
  ): Promise<Connection> {
    const { type, query = {}, authMethods } = options ?? ({} as never);
    if (typeof type !== 'string' || type === '') {
      throw new InputError(`connections.find() of plugin '${pluginId}' needs a type.`);
    }
    const wantedHost = 'url' in query ? hostOf(query.url) : undefined;
    const candidate = this.#connections.find(connection => {
      if (connection.type !== type || !visibleTo(pluginId, connection.match)) {
        return false;
      }
      if (wantedHost !== undefined && String(connection.host ?? '').toLowerCase() !== wantedHost) {
        return false;
      }
      return Object.entries(query).every(
        ([key, value]) =>
          key === 'url' || connection[key] === undefined || connection[key] === value,
      );
    });
    if (!candidate) {
      throw new NotFoundError(
        `No connection of type '${type}' matches ${JSON.stringify(query)} for plugin '${pluginId}'; ` +
          `add one under 'connections' in app-config.yaml.`,
      );
    }
    const { auth = [], match: _match, ...fields } = candidate;
    const result: Connection = { ...fields, type, title: candidate.title ?? type };
    if (!authMethods) {
      return result;
    }
    const usable = auth.filter(entry => visibleTo(pluginId, entry.match));
    const chosen = authMethods
      .map(method => usable.find(entry => entry.method === method))
      .find(Boolean);
    if (!chosen) {
      throw new NotFoundError(
        `Connection '${result.title}' of type '${type}' has no auth method among ` +
          `${authMethods.map(m => `'${m}'`).join(', ')} for plugin '${pluginId}'.`,
      );
    }
    const { match: _authMatch, ...authFields } = chosen;
    result.auth = { ...authFields, title: (chosen.title as string | undefined) ?? chosen.method };
    return result;
  }
}
