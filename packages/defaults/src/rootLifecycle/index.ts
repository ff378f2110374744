export { rootLifecycleServiceFactory } from './rootLifecycleServiceFactory';
export { DefaultRootLifecycleService } from './DefaultRootLifecycleService';
export { LifecycleHookPhase } from './LifecycleHookPhase';
