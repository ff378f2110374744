import type { AddressInfo } from 'node:net';
import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { ServiceFactory } from '@backplane/plugin-api';
import { defaultServiceFactories } from '@backplane/defaults';
import { MockDiscoveryService } from '../services/MockDiscoveryService';
import type { MockLogLevel } from '../services/MockRootLoggerService';
import { mockServices } from '../services/mockServices';
import { serverOf, wrapRootHttpRouterFactory } from './wrapRootHttpRouterFactory';

/** Options for {@link createTestServiceFactories}. */
export interface TestServiceFactoriesOptions {
  /**
   * `bound`: discovery answers with the port the root HTTP router listens on (starts the server
   * when discovery is first used). `fixed`: `http://localhost:0`, with no server.
   */
  discovery: 'bound' | 'fixed';
  /** Level of the mock root logger; default `LOG_LEVEL`, else silent. */
  logLevel?: MockLogLevel;
  /** Called with the root HTTP router instance once it listens. */
  onRootHttpRouter?(instance: unknown): void;
}

function boundDiscoveryFactory(): ServiceFactory {
  return createServiceFactory({
    service: coreServices.discovery,
    deps: { rootHttpRouter: coreServices.rootHttpRouter },
    factory({ rootHttpRouter }) {
      const server = serverOf(rootHttpRouter);
      return new MockDiscoveryService(() => {
        const address = server?.address() as AddressInfo | null | undefined;
        if (!address) {
          throw new Error(
            'startTestBackend: discovery cannot tell the port, because the core.rootHttpRouter ' +
              'in use does not expose a listening `server`; use the default root HTTP router or ' +
              'pass mockServices.discovery.factory()',
          );
        }
        return `http://127.0.0.1:${address.port}`;
      });
    },
  });
}

/**
 * The services of a test backend: mocks for auth, httpAuth, userInfo, rootConfig (empty),
 * rootLogger (silent), scheduler, events and discovery; the real defaults for everything else,
 * with the root HTTP router on a free loopback port. Later entries of a list given to a
 * backend replace these by service id.
 */
export function createTestServiceFactories(options: TestServiceFactoriesOptions): ServiceFactory[] {
  const byId = new Map<string, ServiceFactory>();
  for (const factory of defaultServiceFactories as ServiceFactory[]) {
    byId.set(factory.service.id, factory);
  }
  const rootHttpRouter = byId.get('core.rootHttpRouter');
  const overrides: ServiceFactory[] = [
    mockServices.rootConfig.factory(),
    mockServices.rootLogger.factory({ level: options.logLevel }),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.userInfo.factory(),
    mockServices.scheduler.factory(),
    mockServices.events.factory(),
    options.discovery === 'bound' ? boundDiscoveryFactory() : mockServices.discovery.factory(),
    ...(rootHttpRouter
      ? [wrapRootHttpRouterFactory(rootHttpRouter, options.onRootHttpRouter)]
      : []),
  ];
  for (const factory of overrides) {
    byId.set(factory.service.id, factory);
  }
  return [...byId.values()];
}
