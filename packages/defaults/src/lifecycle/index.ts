export { lifecycleServiceFactory } from './lifecycleServiceFactory';
export { DefaultLifecycleService } from './DefaultLifecycleService';
