export { createBackend } from './createBackend';
export type { CreateBackendOptions } from './createBackend';
export { defaultServiceFactories } from './defaultServiceFactories';
