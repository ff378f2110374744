import { randomUUID } from 'node:crypto';
import type {
  AuthService,
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  BackstageCredentials,
  BackstageServicePrincipal,
  DiscoveryService,
  PermissionsService,
  PermissionsServiceRequestOptions,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backplane/plugin-api';
import { ServiceUnavailableError } from '@backplane/plugin-api';

type Decision = { result: string; [key: string]: unknown };
type Item = {
  id: string;
  permission: AuthorizePermissionRequest['permission'];
  resourceRef?: unknown;
};

/** Items per request to the permission plugin. */
const MAX_ITEMS_PER_REQUEST = 100;

/**
 * The default `core.permissions`, deciding like the official runtime:
 * - service principals are decided here, from their access restrictions: no restrictions allow
 *   everything, restrictions allow only the listed permission names and actions;
 * - with `permission.enabled` false or absent, everything else is allowed;
 * - otherwise the permission plugin decides (`POST <permission>/authorize`), called with a
 *   plugin token on behalf of the caller (no token for `none` credentials).
 */
export class DefaultPermissionsService implements PermissionsService {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #enabled: boolean;
  readonly #batched: boolean;

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    enabled: boolean;
    batched?: boolean;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#enabled = options.enabled;
    this.#batched = options.batched ?? false;
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const local = this.#decideLocally(requests, options);
    if (local) {
      return local as AuthorizePermissionResponse[];
    }
    if (this.#batched) {
      return this.#authorizeBatched(requests, options.credentials);
    }
    const items = requests.map(request => ({ id: randomUUID(), ...request }));
    const decisions = await this.#send(items, options.credentials);
    return decisions.map(decision => checkDefinitive(decision));
  }

  async authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const local = this.#decideLocally(requests, options);
    if (local) {
      return local as QueryPermissionResponse[];
    }
    const items = requests.map(request => ({ id: randomUUID(), ...request }));
    const decisions = await this.#send(items, options.credentials);
    return decisions.map(decision => checkConditional(decision));
  }

  #decideLocally(
    requests: Array<{ permission: AuthorizePermissionRequest['permission'] }>,
    options: PermissionsServiceRequestOptions,
  ): Array<{ result: 'ALLOW' | 'DENY' }> | undefined {
    const credentials = options?.credentials;
    if (!credentials) {
      throw new TypeError(
        'permissions.authorize needs { credentials }: pass the credentials of the request, ' +
          'from httpAuth.credentials(req)',
      );
    }
    if (this.#auth.isPrincipal(credentials, 'service')) {
      return requests.map(request => decideForService(credentials.principal, request.permission));
    }
    if (!this.#enabled) {
      return requests.map(() => ({ result: 'ALLOW' as const }));
    }
    return undefined;
  }

  /** Sends items in chunks and returns the decisions in the order of `items`. */
  async #send(items: Item[], credentials: BackstageCredentials): Promise<Decision[]> {
    const baseUrl = await this.#discovery.getBaseUrl('permission');
    const url = `${baseUrl}/authorize`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!this.#auth.isPrincipal(credentials, 'none')) {
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'permission',
      });
      if (token) {
        headers.authorization = `Bearer ${token}`;
      }
    }

    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += MAX_ITEMS_PER_REQUEST) {
      chunks.push(items.slice(i, i + MAX_ITEMS_PER_REQUEST));
    }
    const byId = new Map<string, Decision>();
    await Promise.all(
      chunks.map(async chunk => {
        for (const decision of await postAuthorize(url, headers, chunk)) {
          byId.set(decision.id as string, decision);
        }
      }),
    );
    return items.map(item => {
      const decision = byId.get(item.id);
      if (!decision) {
        throw new Error(
          `The permission plugin at '${url}' returned no decision for item '${item.id}' ` +
            `(permission '${item.permission.name}')`,
        );
      }
      return decision;
    });
  }

  /**
   * One item per permission name, with every resource ref of that name, as the official
   * `permission.EXPERIMENTAL_enableBatchedRequests` does; the plugin answers a list of results.
   */
  async #authorizeBatched(
    requests: AuthorizePermissionRequest[],
    credentials: BackstageCredentials,
  ): Promise<AuthorizePermissionResponse[]> {
    const byName = new Map<string, Item & { resourceRef?: string[] }>();
    for (const { permission, resourceRef } of requests) {
      let item = byName.get(permission.name);
      if (!item) {
        item = { id: randomUUID(), permission };
        if (permission.type === 'resource') {
          item.resourceRef = [];
        }
        byName.set(permission.name, item);
      }
      if (resourceRef && item.resourceRef) {
        item.resourceRef.push(resourceRef);
      }
    }
    const items = [...byName.values()];
    const decisions = new Map(
      (await this.#send(items, credentials)).map((decision, index) => [items[index], decision]),
    );
    const offsets = new Map<string, number>();
    return requests.map(({ permission, resourceRef }) => {
      const item = byName.get(permission.name)!;
      const result = decisions.get(item)!.result as unknown;
      if (!Array.isArray(result)) {
        return checkDefinitive({ result: String(result) });
      }
      const offset = offsets.get(item.id) ?? 0;
      if (resourceRef) {
        offsets.set(item.id, offset + 1);
      }
      return checkDefinitive({ result: String(result[resourceRef ? offset : 0]) });
    });
  }
}

function decideForService(
  principal: BackstageServicePrincipal,
  permission: AuthorizePermissionRequest['permission'],
): { result: 'ALLOW' | 'DENY' } {
  const restrictions = principal.accessRestrictions;
  if (restrictions?.permissionNames && !restrictions.permissionNames.includes(permission.name)) {
    return { result: 'DENY' };
  }
  const actions = restrictions?.permissionAttributes?.action;
  if (actions) {
    const action = permission.attributes?.action;
    if (!action || !actions.includes(action)) {
      return { result: 'DENY' };
    }
  }
  return { result: 'ALLOW' };
}

async function postAuthorize(
  url: string,
  headers: Record<string, string>,
  items: Item[],
): Promise<Decision[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ items }),
    signal: AbortSignal.timeout(30000),
  });
  if (response.status === 404) {
    // No plugin at that URL: a setup problem of this backend, not a missing resource of the
    // caller's request, so it must not surface as a 404 on the caller's route.
    await response.body?.cancel();
    throw new ServiceUnavailableError(
      `'permission.enabled' is true but no permission plugin answers at '${url}': install ` +
        "@backstage/plugin-permission-backend with a policy, or set 'permission.enabled: false'",
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    const error = new Error(
      `The permission plugin at '${url}' answered HTTP ${response.status}: ${text.slice(0, 300)}`,
    );
    // Like the official ResponseError: the upstream status travels with the error.
    error.name = 'ResponseError';
    (error as Error & { statusCode?: number }).statusCode = response.status;
    throw error;
  }
  const body = (await response.json()) as { items?: unknown };
  if (!Array.isArray(body.items) || body.items.some(item => typeof item?.id !== 'string')) {
    throw new Error(`The permission plugin at '${url}' answered without a list of decisions`);
  }
  return body.items as Decision[];
}

function checkDefinitive(decision: Decision): AuthorizePermissionResponse {
  if (decision.result !== 'ALLOW' && decision.result !== 'DENY') {
    throw new Error(
      `The permission plugin answered '${String(decision.result)}' to authorize(); ` +
        'only ALLOW or DENY are valid there',
    );
  }
  return { result: decision.result };
}

function checkConditional(decision: Decision): QueryPermissionResponse {
  if (decision.result === 'ALLOW' || decision.result === 'DENY') {
    return { result: decision.result };
  }
  if (
    decision.result === 'CONDITIONAL' &&
    typeof decision.pluginId === 'string' &&
    typeof decision.resourceType === 'string' &&
    decision.conditions !== undefined
  ) {
    return {
      result: 'CONDITIONAL',
      pluginId: decision.pluginId,
      resourceType: decision.resourceType,
      conditions: decision.conditions,
    };
  }
  throw new Error(
    `The permission plugin answered an invalid conditional decision '${String(decision.result)}'`,
  );
}
