import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  JsonObject,
  LoggerService,
  Permission,
  PermissionsRegistryService,
  PermissionsService,
} from '@backplane/plugin-api';
import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
  ActionsServiceAction,
} from '@backplane/plugin-api/alpha';
import { loadZod } from './loadZod';

type ZodSchema = {
  safeParse(value: unknown): {
    success: boolean;
    data?: unknown;
    error?: { issues?: Array<{ path: unknown[]; message: string }> };
  };
};

/** Options of {@link DefaultActionsRegistryService.create}. */
export interface DefaultActionsRegistryServiceOptions {
  pluginId: string;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions?: PermissionsService;
  permissionsRegistry?: PermissionsRegistryService;
}

function describeIssues(
  error: { issues?: Array<{ path: unknown[]; message: string }> } | undefined,
) {
  return (error?.issues ?? [])
    .map(issue => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}

function handle(fn: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/**
 * Holds the actions a plugin offers and serves them on the plugin's router:
 * `GET /.backstage/actions/v1/actions` lists them, `POST …/actions/:id/invoke` runs one.
 */
export class DefaultActionsRegistryService implements ActionsRegistryService {
  readonly #options: DefaultActionsRegistryServiceOptions;
  readonly #actions = new Map<string, ActionsRegistryActionOptions>();

  /** Creates the registry of a plugin. */
  static create(options: DefaultActionsRegistryServiceOptions): DefaultActionsRegistryService {
    return new DefaultActionsRegistryService(options);
  }

  private constructor(options: DefaultActionsRegistryServiceOptions) {
    this.#options = options;
  }

  register(options: ActionsRegistryActionOptions): void {
    const { pluginId } = this.#options;
    const name = options?.name;
    if (typeof name !== 'string' || name.trim() === '' || /[\s:/]/.test(name)) {
      throw new InputError(
        `Action name ${JSON.stringify(name)} of plugin '${pluginId}' is invalid; ` +
          `use a kebab-case name like 'get-entity' without spaces, ':' or '/'.`,
      );
    }
    const id = `${pluginId}:${name}`;
    for (const field of ['title', 'description'] as const) {
      if (typeof options[field] !== 'string' || options[field].trim() === '') {
        throw new InputError(`Action '${id}' needs a ${field}.`);
      }
    }
    if (
      typeof options.schema?.input !== 'function' ||
      typeof options.schema?.output !== 'function'
    ) {
      throw new InputError(
        `Action '${id}' needs schema.input and schema.output, functions that build zod schemas.`,
      );
    }
    if (typeof options.action !== 'function') {
      throw new InputError(`Action '${id}' needs an action function.`);
    }
    if (this.#actions.has(id)) {
      throw new ConflictError(
        `Action '${id}' is already registered; give each action its own name.`,
      );
    }
    if (options.visibilityPermission) {
      this.#options.permissionsRegistry?.addPermissions([
        options.visibilityPermission as unknown as Permission,
      ]);
    }
    this.#actions.set(id, options);
  }

  /** The actions the caller may see, as the list endpoint returns them. */
  async list(credentials: BackstageCredentials): Promise<ActionsServiceAction[]> {
    const { toJsonSchema, z } = loadZod();
    const visible: ActionsServiceAction[] = [];
    for (const [id, action] of this.#actions) {
      if (!(await this.#isVisible(action, credentials))) {
        continue;
      }
      const readOnly = action.attributes?.readOnly ?? false;
      const secrets = action.schema.secrets ? toJsonSchema(action.schema.secrets(z)) : undefined;
      visible.push({
        id,
        pluginId: this.#options.pluginId,
        name: action.name,
        title: action.title,
        description: action.description,
        schema: {
          input: toJsonSchema(action.schema.input(z)) as JsonObject,
          output: toJsonSchema(action.schema.output(z)) as JsonObject,
          ...(secrets ? { secrets: secrets as JsonObject } : {}),
        },
        ...(action.examples ? { examples: action.examples } : {}),
        attributes: {
          readOnly,
          destructive: action.attributes?.destructive ?? !readOnly,
          idempotent: action.attributes?.idempotent ?? false,
        },
      });
    }
    return visible;
  }

  /** Validates the input, runs the action and validates its output. */
  async invoke(options: {
    id: string;
    input: unknown;
    secrets?: unknown;
    credentials: BackstageCredentials;
  }): Promise<{ output: unknown }> {
    const { id, credentials } = options;
    if (this.#options.auth.isPrincipal(credentials, 'none')) {
      throw new NotAllowedError(
        `Action '${id}' may only be invoked with user or service credentials.`,
      );
    }
    const action = this.#actions.get(id);
    if (!action || !(await this.#isVisible(action, credentials))) {
      throw new NotFoundError(
        `Action '${id}' is not registered in plugin '${this.#options.pluginId}'; ` +
          `list the actions with GET /.backstage/actions/v1/actions.`,
      );
    }
    const { z } = loadZod();
    const input = (action.schema.input(z) as ZodSchema).safeParse(options.input ?? {});
    if (!input.success) {
      throw new InputError(`Invalid input to action '${id}': ${describeIssues(input.error)}`);
    }
    let secrets: unknown;
    if (action.schema.secrets) {
      const parsed = (action.schema.secrets(z) as ZodSchema).safeParse(options.secrets ?? {});
      if (!parsed.success) {
        throw new InputError(`Invalid secrets for action '${id}': ${describeIssues(parsed.error)}`);
      }
      secrets = parsed.data;
    }
    const result = await action.action({
      input: input.data,
      secrets,
      credentials,
      logger: this.#options.logger.child({ action: id }),
    });
    const output = (action.schema.output(z) as ZodSchema).safeParse(
      (result as { output?: unknown } | undefined)?.output,
    );
    if (!output.success) {
      throw new Error(
        `Action '${id}' of plugin '${this.#options.pluginId}' returned output that does not match ` +
          `its schema: ${describeIssues(output.error)}`,
      );
    }
    return { output: output.data };
  }

  /** The list and invoke endpoints, for the plugin's router. */
  createRouter(): Router {
    const router = express.Router();
    const { httpAuth } = this.#options;
    router.get(
      '/.backstage/actions/v1/actions',
      handle(async (req, res) => {
        res.json({ actions: await this.list(await httpAuth.credentials(req)) });
      }),
    );
    router.post(
      '/.backstage/actions/v1/actions/:actionId/invoke',
      express.json(),
      handle(async (req, res) => {
        const credentials = await httpAuth.credentials(req);
        res.json(await this.invoke({ id: req.params.actionId, input: req.body, credentials }));
      }),
    );
    router.post(
      '/.backstage/actions/v2/actions/:actionId/invoke',
      express.json(),
      handle(async (req, res) => {
        const credentials = await httpAuth.credentials(req);
        const body = (req.body ?? {}) as { input?: unknown; secrets?: unknown };
        res.json(
          await this.invoke({
            id: req.params.actionId,
            input: body.input,
            secrets: body.secrets,
            credentials,
          }),
        );
      }),
    );
    return router;
  }

  async #isVisible(
    action: ActionsRegistryActionOptions,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const permission = action.visibilityPermission;
    if (!permission || !this.#options.permissions) {
      return true;
    }
    const [decision] = await this.#options.permissions.authorize(
      [{ permission: permission as unknown as Permission }],
      { credentials },
    );
    return decision?.result === 'ALLOW';
  }
}
