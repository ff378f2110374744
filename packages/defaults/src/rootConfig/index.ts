export { rootConfigServiceFactory, createRootConfig } from './rootConfigServiceFactory';
export type {
  RootConfigFactoryOptions,
  RootConfigServiceFactory,
} from './rootConfigServiceFactory';
export { ConfigReader } from './ConfigReader';
export { RootConfigReader } from './RootConfigReader';
export { loadConfig, findWorkspaceRoot, readConfigArgs } from './loadConfig';
export type { LoadConfigOptions, LoadedConfig, HumanDuration } from './loadConfig';
export { readEnvOverrides } from './readEnvOverrides';
export { substituteEnv } from './transformConfig';
export { mergeConfig } from './mergeConfig';
export { createConfigSecretEnumerator } from './createConfigSecretEnumerator';
export type { ConfigSecretEnumeratorOptions } from './createConfigSecretEnumerator';
