import type { LoggerService } from '@backplane/plugin-api';
import { actionsRegistryServiceRef } from '@backplane/plugin-api/alpha';
import type { ActionsRegistryService } from '@backplane/plugin-api/alpha';
import { actionsRegistryServiceFactory } from '@backplane/defaults/alpha';
import { createMockFn } from '../mockFn/createMockFn';
import { createServiceMock } from '../services/createServiceMock';
import { mockServices } from '../services/mockServices';
import { MockActionsRegistry } from './MockActionsRegistry';

/**
 * The actions registry (`alpha.core.actionsRegistry`) for tests. Called, it returns a
 * {@link MockActionsRegistry} logging to `options.logger` (default a mock logger);
 * `.factory()` is the real default factory; `.mock(partial?)` a registry whose `register` is a
 * mock function, with a `.factory` of its own.
 */
export const actionsRegistryServiceMock = Object.assign(
  (options?: { logger: LoggerService }): MockActionsRegistry =>
    MockActionsRegistry.create({ logger: options?.logger ?? mockServices.logger.mock() }),
  {
    /** The default `alpha.core.actionsRegistry` factory. */
    factory: () => actionsRegistryServiceFactory,
    /** A registry whose `register` is a mock function. */
    mock: createServiceMock(actionsRegistryServiceRef, (): ActionsRegistryService => ({
      register: createMockFn(),
    })),
  },
);
