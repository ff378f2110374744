import type { Server } from 'node:http';
import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { Config, JsonObject, ServiceFactory } from '@backplane/plugin-api';
import { ConfigReader } from '@backplane/defaults/rootConfig';

/** Where test backends listen unless the configuration says otherwise: a free loopback port. */
const TEST_LISTEN = { host: '127.0.0.1', port: 0 };

/** A view of `config` with `backend.listen` set to a free loopback port when it is not configured. */
function withTestListen(config: Config): Config {
  if (config.has('backend.listen')) {
    return config;
  }
  const data = (config.getOptional<JsonObject>() ?? {}) as JsonObject;
  const backend = (data.backend ?? {}) as JsonObject;
  return new ConfigReader({ ...data, backend: { ...backend, listen: TEST_LISTEN } });
}

/** Reads the bound port from a root HTTP router that exposes its `server`. */
export function serverOf(rootHttpRouter: unknown): Server | undefined {
  const server = (rootHttpRouter as { server?: Server } | undefined)?.server;
  return server && typeof server.address === 'function' ? server : undefined;
}

/**
 * Wraps a root HTTP router factory so that it listens on a free loopback port unless
 * `backend.listen` is configured, and reports the instance it made to `onCreated`.
 */
export function wrapRootHttpRouterFactory(
  factory: ServiceFactory,
  onCreated: (instance: unknown) => void = () => undefined,
): ServiceFactory {
  const real = factory as unknown as {
    deps: Record<string, { id: string }>;
    factory(deps: Record<string, unknown>, context: unknown): Promise<unknown>;
  };
  const configKeys = Object.entries(real.deps)
    .filter(([, ref]) => ref.id === 'core.rootConfig')
    .map(([name]) => name);
  return createServiceFactory({
    service: coreServices.rootHttpRouter,
    deps: real.deps as any,
    async factory(deps: Record<string, unknown>) {
      const adjusted = { ...deps };
      for (const key of configKeys) {
        adjusted[key] = withTestListen(deps[key] as Config);
      }
      const instance = await real.factory(adjusted, undefined);
      onCreated(instance);
      return instance as any;
    },
  });
}
