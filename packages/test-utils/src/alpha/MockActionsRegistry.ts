import { NotFoundError } from '@backplane/plugin-api';
import type {
  AuthService,
  BackstageCredentials,
  JsonObject,
  JsonValue,
  LoggerService,
} from '@backplane/plugin-api';
import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
  ActionsService,
  ActionsServiceAction,
} from '@backplane/plugin-api/alpha';
import { DefaultActionsRegistryService } from '@backplane/defaults/alpha';
import { mockCredentials } from '../credentials/mockCredentials';
import { MockHttpAuthService } from '../credentials/MockHttpAuthService';

const PLUGIN_ID = 'test';

// The mock lets a test invoke an action without credentials (it then runs with
// `mockCredentials.none()`), as the Backstage mock does; the real registry answers 403 to that.
const anyCallerAuth = { isPrincipal: () => false } as unknown as AuthService;

/**
 * An actions registry and actions service in one, for testing the actions a plugin registers:
 * register them, then `list()` and `invoke()` them without a backend. Actions belong to the
 * plugin `test`, so their ids are `test:<name>`. Names, schemas, input, secrets and output are
 * checked as the real registry checks them; action schemas need the `zod` and
 * `zod-to-json-schema` packages, as in a backend.
 *
 * @example
 * ```ts
 * const registry = actionsRegistryServiceMock();
 * registry.register({ name: 'greet', title: 'Greet', description: 'Says hello', schema, action });
 * await registry.invoke({ id: 'test:greet', input: { name: 'alice' } }); // { output: … }
 * ```
 */
export class MockActionsRegistry implements ActionsRegistryService, ActionsService {
  /** The registered actions by id (`test:<name>`). */
  readonly actions = new Map<string, ActionsRegistryActionOptions>();
  readonly #registry: DefaultActionsRegistryService;

  /** Creates a registry whose actions log to `logger`. */
  static create(options: { logger: LoggerService }): MockActionsRegistry {
    return new MockActionsRegistry(options.logger);
  }

  private constructor(logger: LoggerService) {
    this.#registry = DefaultActionsRegistryService.create({
      pluginId: PLUGIN_ID,
      logger,
      auth: anyCallerAuth,
      httpAuth: new MockHttpAuthService({ pluginId: PLUGIN_ID }),
    });
  }

  /** Registers an action; a bad name or schema, or a name used twice, throws. */
  register(options: ActionsRegistryActionOptions): void {
    this.#registry.register(options);
    this.actions.set(`${PLUGIN_ID}:${options.name}`, options);
  }

  /** The registered actions, with their schemas as JSON Schema. */
  async list(_options?: {
    credentials?: BackstageCredentials;
  }): Promise<{ actions: ActionsServiceAction[] }> {
    return { actions: await this.#registry.list(mockCredentials.none()) };
  }

  /** Validates the input (and secrets), runs the action and validates its output. */
  async invoke(options: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials?: BackstageCredentials;
  }): Promise<{ output: JsonValue }> {
    if (!this.actions.has(options.id)) {
      const known = [...this.actions.keys()].map(id => `'${id}'`).join(', ') || 'none';
      throw new NotFoundError(
        `Action '${options.id}' is not registered; registered actions: ${known}`,
      );
    }
    const { output } = await this.#registry.invoke({
      id: options.id,
      input: options.input,
      secrets: options.secrets,
      credentials: options.credentials ?? mockCredentials.none(),
    });
    return { output: output as JsonValue };
  }
}
