export { databaseServiceFactory } from './databaseServiceFactory';
export { DatabaseManager } from './DatabaseManager';
export type { DatabaseManagerOptions, DatabaseManagerPluginOptions } from './DatabaseManager';
