export { cacheServiceFactory } from './cacheServiceFactory';
export { CacheManager } from './CacheManager';
export type { CacheManagerOptions } from './CacheManager';
