import { BackplaneError, describeError, toError } from '../errors/BackplaneError';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { WiringPlan } from '../validation/validateRegistrations';
import { assertPluginLifecycle, assertRootLifecycle } from './assertLifecycleProtocol';

/**
 * Stops what was started: rootLifecycle `beforeShutdown()`, then every created plugin
 * lifecycle's `shutdown()` in parallel, then rootLifecycle `shutdown()`. Every step runs even
 * when an earlier one failed; the failures are thrown together at the end.
 */
export async function stopBackend(options: {
  registry: ServiceRegistry | undefined;
  plan: WiringPlan | undefined;
}): Promise<void> {
  const { registry, plan } = options;
  if (!registry) {
    return;
  }
  const errors: Error[] = [];
  const attempt = async (step: () => unknown) => {
    try {
      await step();
    } catch (error) {
      errors.push(toError(error));
    }
  };

  const rootLifecycle = await created(registry, 'core.rootLifecycle');
  if (rootLifecycle !== undefined) {
    await attempt(() => {
      assertRootLifecycle(rootLifecycle);
      return rootLifecycle.beforeShutdown();
    });
  }

  await Promise.all(
    (plan?.plugins ?? []).map(async ({ plugin }) => {
      const lifecycle = await created(registry, 'core.lifecycle', plugin.pluginId);
      if (lifecycle !== undefined) {
        await attempt(() => {
          assertPluginLifecycle(lifecycle, plugin.pluginId);
          return lifecycle.shutdown();
        });
      }
    }),
  );

  if (rootLifecycle !== undefined) {
    await attempt(() => {
      assertRootLifecycle(rootLifecycle);
      return rootLifecycle.shutdown();
    });
  }

  if (errors.length > 0) {
    const cause = errors.length === 1 ? errors[0] : new AggregateError(errors, 'stop failed');
    throw new BackplaneError(
      'BACKPLANE_SHUTDOWN_FAILED',
      `Stopping the backend failed in ${errors.length} step(s): ` +
        `${errors.map(describeError).join('; ')}. Every other shutdown step still ran; fix the ` +
        `lifecycle service or hook named above.`,
      { cause },
    );
  }
}

/** The instance of a service if it was created successfully, else undefined. */
async function created(registry: ServiceRegistry, id: string, pluginId?: string) {
  const instance = registry.findCreated(id, pluginId);
  return instance?.then(
    value => value,
    () => undefined,
  );
}
