import { auditorServiceFactory } from './auditor/auditorServiceFactory';
import { authServiceFactory } from './auth/authServiceFactory';
import { cacheServiceFactory } from './cache/cacheServiceFactory';
import { databaseServiceFactory } from './database/databaseServiceFactory';
import { discoveryServiceFactory } from './discovery/discoveryServiceFactory';
import { eventsServiceFactory } from './events/eventsServiceFactory';
import { httpAuthServiceFactory } from './httpAuth/httpAuthServiceFactory';
import { httpRouterServiceFactory } from './httpRouter/httpRouterServiceFactory';
import { lifecycleServiceFactory } from './lifecycle/lifecycleServiceFactory';
import { loggerServiceFactory } from './logger/loggerServiceFactory';
import { permissionsServiceFactory } from './permissions/permissionsServiceFactory';
import { permissionsRegistryServiceFactory } from './permissionsRegistry/permissionsRegistryServiceFactory';
import { rootConfigServiceFactory } from './rootConfig/rootConfigServiceFactory';
import { rootHealthServiceFactory } from './rootHealth/rootHealthServiceFactory';
import { rootHttpRouterServiceFactory } from './rootHttpRouter/rootHttpRouterServiceFactory';
import { rootLifecycleServiceFactory } from './rootLifecycle/rootLifecycleServiceFactory';
import { rootLoggerServiceFactory } from './rootLogger/rootLoggerServiceFactory';
import { schedulerServiceFactory } from './scheduler/schedulerServiceFactory';
import { urlReaderServiceFactory } from './urlReader/urlReaderServiceFactory';
import { userInfoServiceFactory } from './userInfo/userInfoServiceFactory';
import { actionsRegistryServiceFactory } from './alpha/actionsRegistry/actionsRegistryServiceFactory';
import { actionsServiceFactory } from './alpha/actions/actionsServiceFactory';
import { connectionsServiceFactory } from './alpha/connections/connectionsServiceFactory';
import { metricsServiceFactory } from './alpha/metrics/metricsServiceFactory';
import { tracingServiceFactory } from './alpha/tracing/tracingServiceFactory';

/**
 * The default factory of every core service, events and the alpha services. Imported from the
 * factory files, not the folders' index files, so that a service's implementation (and its
 * libraries) loads only when a plugin uses the service.
 */
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
