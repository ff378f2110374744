import { actionsServiceRef } from '@backplane/plugin-api/alpha';
import type { ActionsService } from '@backplane/plugin-api/alpha';
import { actionsServiceFactory } from '@backplane/defaults/alpha';
import { createMockFn } from '../mockFn/createMockFn';
import { createServiceMock } from '../services/createServiceMock';

/**
 * The actions service (`alpha.core.actions`) for tests: `.factory()` is the real default factory,
 * `.mock(partial?)` a service whose `list` and `invoke` are mock functions.
 */
export const actionsServiceMock = {
  /** The default `alpha.core.actions` factory. */
  factory: () => actionsServiceFactory,
  /** A service whose `list` and `invoke` are mock functions. */
  mock: createServiceMock(actionsServiceRef, (): ActionsService => ({
    list: createMockFn(),
    invoke: createMockFn(),
  })),
};
