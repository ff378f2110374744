import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { RootConfigService, ServiceFactory } from '@backplane/plugin-api';
import { listConfigSources, loadConfig, type LoadConfigOptions } from './loadConfig';
import { existsSync } from 'node:fs';
import { ConfigSubscriberError, RootConfigReader } from './RootConfigReader';
import { watchConfig } from './watchConfig';

/** Options for {@link rootConfigServiceFactory}. */
export interface RootConfigFactoryOptions {
  /** Command-line arguments to read `--config` from; defaults to `process.argv`. */
  argv?: readonly string[];
  /** Allows `--config https://…` and, with `reloadInterval`, re-fetches it periodically. */
  remote?: LoadConfigOptions['remote'];
  /**
   * Reloads when a config file changes and notifies `config.subscribe()` listeners. Off by
   * default.
   */
  watch?: boolean;
  /** Where to look for the workspace root; defaults to `process.cwd()`. */
  cwd?: string;
  /** Environment for substitution and overrides; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads the configuration and, when asked, keeps it current. Failed reloads keep the previous
 * configuration and are reported as a process warning, since the logger depends on the config.
 */
export async function createRootConfig(
  options: RootConfigFactoryOptions = {},
): Promise<RootConfigReader> {
  const loadOptions: LoadConfigOptions = {
    argv: options.argv,
    remote: options.remote,
    cwd: options.cwd,
    env: options.env,
  };
  const loaded = await loadConfig(loadOptions);
  const config = new RootConfigReader(loaded.data, loaded.secrets);

  const interval = options.remote?.reloadInterval;
  if (options.watch || interval) {
    const candidates = options.watch ? listConfigSources(loadOptions).map(s => s.location) : [];
    // Optional files that were there at start must stay: a deleted app-config.yaml would
    // otherwise reload as an empty configuration, as if every key had been removed on purpose.
    const loadedFiles = listConfigSources(loadOptions)
      .map(source => source.location)
      .filter(location => loaded.locations.has(location));
    const stop = watchConfig({
      reload: async () => {
        const gone = loadedFiles.filter(location => !existsSync(location));
        if (gone.length > 0) {
          throw new Error(
            `the config file ${gone.map(file => `'${file}'`).join(' and ')} was removed; restore ` +
              'it, or restart the backend to run without it',
          );
        }
        return loadConfig(loadOptions);
      },
      onLoad: next => {
        try {
          config.update(next.data, next.secrets);
        } catch (error) {
          if (!(error instanceof ConfigSubscriberError)) throw error;
          process.emitWarning(error.message, 'BackplaneConfigWarning');
        }
      },
      onError: error =>
        process.emitWarning(
          `Config reload failed, keeping the previous configuration: ${(error as Error).message}`,
          'BackplaneConfigWarning',
        ),
      files: options.watch ? [...candidates, ...loaded.locations] : undefined,
      interval,
    });
    config.onClose(stop);
  }
  return config;
}

function makeFactory(options?: RootConfigFactoryOptions) {
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => createRootConfig(options),
  });
}

/** The type of {@link rootConfigServiceFactory}: a factory that can also be called with options. */
export type RootConfigServiceFactory = ServiceFactory<RootConfigService, 'root', 'singleton'> &
  ((options?: RootConfigFactoryOptions) => ServiceFactory<RootConfigService, 'root', 'singleton'>);

/**
 * The default `core.rootConfig` factory. Use it as is, or call it with
 * {@link RootConfigFactoryOptions} to get a factory with other settings:
 *
 * @example
 * ```ts
 * backend.add(rootConfigServiceFactory({ watch: true }));
 * ```
 */
export const rootConfigServiceFactory: RootConfigServiceFactory = Object.assign(
  (options?: RootConfigFactoryOptions) => makeFactory(options),
  makeFactory(),
);
