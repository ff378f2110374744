import { auditorServiceFactory } from './auditor';
import { authServiceFactory } from './auth';
import { cacheServiceFactory } from './cache';
import { databaseServiceFactory } from './database';
import { discoveryServiceFactory } from './discovery';
import { eventsServiceFactory } from './events';
import { httpAuthServiceFactory } from './httpAuth';
import { httpRouterServiceFactory } from './httpRouter';
import { lifecycleServiceFactory } from './lifecycle';
import { loggerServiceFactory } from './logger';
import { permissionsServiceFactory } from './permissions';
import { permissionsRegistryServiceFactory } from './permissionsRegistry';
import { rootConfigServiceFactory } from './rootConfig';
import { rootHealthServiceFactory } from './rootHealth';
import { rootHttpRouterServiceFactory } from './rootHttpRouter';
import { rootLifecycleServiceFactory } from './rootLifecycle';
import { rootLoggerServiceFactory } from './rootLogger';
import { schedulerServiceFactory } from './scheduler';
import { urlReaderServiceFactory } from './urlReader';
import { userInfoServiceFactory } from './userInfo';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  connectionsServiceFactory,
  metricsServiceFactory,
  tracingServiceFactory,
} from './alpha';

/** The default factory of every core service, events and the alpha services. */
export const defaultServiceFactories = [
  auditorServiceFactory,
  authServiceFactory,
  cacheServiceFactory,
  rootConfigServiceFactory,
  databaseServiceFactory,
  discoveryServiceFactory,
  httpAuthServiceFactory,
  httpRouterServiceFactory,
  lifecycleServiceFactory,
  loggerServiceFactory,
  permissionsServiceFactory,
  permissionsRegistryServiceFactory,
  rootHealthServiceFactory,
  rootHttpRouterServiceFactory,
  rootLifecycleServiceFactory,
  rootLoggerServiceFactory,
  schedulerServiceFactory,
  userInfoServiceFactory,
  urlReaderServiceFactory,
  eventsServiceFactory,
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  metricsServiceFactory,
  tracingServiceFactory,
  connectionsServiceFactory,
];
