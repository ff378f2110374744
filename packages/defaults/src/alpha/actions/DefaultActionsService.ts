import { loadMinimatch } from '../../urlReader/loadLibraries';
import { InputError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  Config,
  DiscoveryService,
  JsonObject,
  JsonValue,
  LoggerService,
} from '@backplane/plugin-api';
import type { ActionsService, ActionsServiceAction } from '@backplane/plugin-api/alpha';

type AttributeName = 'destructive' | 'readOnly' | 'idempotent';

interface FilterRule {
  id?: string;
  attributes: Partial<Record<AttributeName, boolean>>;
}

/** Options of {@link DefaultActionsService.create}. */
export interface DefaultActionsServiceOptions {
  config: Config;
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
}

function readRules(config: Config, key: string): FilterRule[] {
  return (config.getOptionalConfigArray(key) ?? []).map(rule => {
    const attributes: FilterRule['attributes'] = {};
    for (const name of ['destructive', 'readOnly', 'idempotent'] as const) {
      const value = rule.getOptionalBoolean(`attributes.${name}`);
      if (value !== undefined) {
        attributes[name] = value;
      }
    }
    return { id: rule.getOptionalString('id'), attributes };
  });
}

function matches(action: ActionsServiceAction, rule: FilterRule): boolean {
  if (rule.id !== undefined && !loadMinimatch()(action.id, rule.id)) {
    return false;
  }
  return Object.entries(rule.attributes).every(
    ([name, value]) => action.attributes[name as AttributeName] === value,
  );
}

/** Turns an error response of another plugin into an error with the same name and status. */
async function responseError(response: Response, what: string): Promise<Error> {
  let name = 'Error';
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { name?: string; message?: string } };
    name = body?.error?.name ?? name;
    message = body?.error?.message ?? message;
  } catch {
    // Not a JSON error body; keep the status line.
  }
  const error = new Error(`${what}: ${message}`);
  error.name = name;
  return Object.assign(error, { statusCode: response.status });
}

/**
 * Lists and invokes actions of the plugins named in `backend.actions.pluginSources`, over HTTP
 * with a plugin token on behalf of the caller, filtered by `backend.actions.filter`.
 */
export class DefaultActionsService implements ActionsService {
  readonly #options: DefaultActionsServiceOptions;

  /** Creates the service. */
  static create(options: DefaultActionsServiceOptions): DefaultActionsService {
    return new DefaultActionsService(options);
  }

  private constructor(options: DefaultActionsServiceOptions) {
    this.#options = options;
  }

  async list(options: { credentials: BackstageCredentials }): Promise<{
    actions: ActionsServiceAction[];
  }> {
    const { config, logger } = this.#options;
    const sources = config.getOptionalStringArray('backend.actions.pluginSources') ?? [];
    const lists = await Promise.all(
      sources.map(async pluginId => {
        try {
          const response = await this.#request(pluginId, '/.backstage/actions/v1/actions', {
            credentials: options.credentials,
          });
          if (!response.ok) {
            throw await responseError(
              response,
              `Listing the actions of plugin '${pluginId}' failed`,
            );
          }
          const body = (await response.json()) as { actions?: ActionsServiceAction[] };
          return body.actions ?? [];
        } catch (error) {
          logger.warn(`Could not list the actions of plugin '${pluginId}'`, error);
          return [];
        }
      }),
    );
    return { actions: this.#filter(lists.flat()) };
  }

  async invoke(options: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials: BackstageCredentials;
    signal?: AbortSignal;
  }): Promise<{ output: JsonValue }> {
    const colon = options.id?.indexOf(':') ?? -1;
    if (colon <= 0) {
      throw new InputError(
        `Action id '${options.id}' is invalid; action ids look like '<pluginId>:<name>'.`,
      );
    }
    const pluginId = options.id.slice(0, colon);
    const version = options.secrets ? 'v2' : 'v1';
    const response = await this.#request(
      pluginId,
      `/.backstage/actions/${version}/actions/${encodeURIComponent(options.id)}/invoke`,
      {
        credentials: options.credentials,
        method: 'POST',
        body: JSON.stringify(
          version === 'v2'
            ? { input: options.input, secrets: options.secrets }
            : (options.input ?? {}),
        ),
        signal: options.signal,
      },
    );
    if (!response.ok) {
      throw await responseError(response, `Invoking action '${options.id}' failed`);
    }
    const body = (await response.json()) as { output: JsonValue };
    return { output: body.output };
  }

  async #request(
    pluginId: string,
    path: string,
    init: {
      credentials: BackstageCredentials;
      method?: string;
      body?: string;
      signal?: AbortSignal;
    },
  ): Promise<Response> {
    const { discovery, auth } = this.#options;
    const baseUrl = await discovery.getBaseUrl(pluginId);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: init.credentials,
      targetPluginId: pluginId,
    });
    return fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      body: init.body,
      signal: init.signal,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  }

  #filter(actions: ActionsServiceAction[]): ActionsServiceAction[] {
    const { config } = this.#options;
    if (!config.has('backend.actions.filter')) {
      return actions;
    }
    const include = readRules(config, 'backend.actions.filter.include');
    const exclude = readRules(config, 'backend.actions.filter.exclude');
    return actions.filter(
      action =>
        !exclude.some(rule => matches(action, rule)) &&
        (include.length === 0 || include.some(rule => matches(action, rule))),
    );
  }
}
