import { BackplaneError } from '../errors/BackplaneError';

/** The non-public methods the runtime drives `core.rootLifecycle` with. */
export interface RootLifecycleDriver {
  startup(): Promise<void>;
  beforeShutdown(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The non-public methods the runtime drives each plugin's `core.lifecycle` with. */
export interface PluginLifecycleDriver {
  startup(): Promise<void>;
  shutdown(): Promise<void>;
}

const ROOT_METHODS = ['startup', 'beforeShutdown', 'shutdown'] as const;
const PLUGIN_METHODS = ['startup', 'shutdown'] as const;

/** Throws a clear error when the `core.rootLifecycle` instance cannot be driven. */
export function assertRootLifecycle(instance: unknown): asserts instance is RootLifecycleDriver {
  const subject = "The 'core.rootLifecycle' service";
  assertMethods(instance, subject, ROOT_METHODS, 'the rootLifecycle factory');
}

/** Throws a clear error when a plugin's `core.lifecycle` instance cannot be driven. */
export function assertPluginLifecycle(
  instance: unknown,
  pluginId: string,
): asserts instance is PluginLifecycleDriver {
  const subject = `The 'core.lifecycle' service of plugin '${pluginId}'`;
  assertMethods(instance, subject, PLUGIN_METHODS, 'the lifecycle factory');
}

function assertMethods(
  instance: unknown,
  subject: string,
  methods: readonly string[],
  defaultFactory: string,
) {
  const missing = methods.filter(
    method => typeof (instance as Record<string, unknown> | undefined)?.[method] !== 'function',
  );
  if (missing.length === 0) {
    return;
  }
  const list = (names: readonly string[]) => names.map(m => `${m}()`).join(', ');
  throw new BackplaneError(
    'BACKPLANE_LIFECYCLE_PROTOCOL',
    `${subject} lacks ${list(missing)}, which the runtime calls to run its ` +
      `hooks. Use ${defaultFactory} from @backplane/defaults, or give your implementation ` +
      `${list(methods)} methods that run the registered hooks in order and return a promise.`,
  );
}
