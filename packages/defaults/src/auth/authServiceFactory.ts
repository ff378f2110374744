import { coreServices, createServiceFactory, createServiceRef } from '@backplane/plugin-api';
import type {
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backplane/plugin-api';
import { DefaultAuthService } from './DefaultAuthService';
import { ExternalTokenVerifier } from './external/ExternalTokenVerifier';
import type { ExternalTokenHandler } from './external/types';
import { warnAboutUnknownRestrictedPlugins } from './external/warnAboutUnknownRestrictedPlugins';
import { JwksCache } from './JwksCache';
import { createPluginKeySource } from './keys/createPluginKeySource';
import { PluginTokenHandler } from './PluginTokenHandler';
import { UserTokenHandler } from './UserTokenHandler';

/**
 * Plugin tokens live one hour, and a signing key signs for one hour, as on the official runtime.
 */
const TOKEN_TTL_SECONDS = 3600;

/**
 * Extra kinds of external access tokens (multiton `core.auth.externalTokenHandlers`). Provide
 * factories for it with handlers from {@link createExternalTokenHandler}.
 */
export const externalTokenHandlersServiceRef = createServiceRef<ExternalTokenHandler<unknown>>({
  id: 'core.auth.externalTokenHandlers',
  multiton: true,
});

/**
 * The default `core.auth`: plugin tokens signed with per-instance ES256 keys whose public halves
 * are stored in the plugin's database, user tokens verified against the auth plugin's JWKS, and
 * external access from `backend.auth.externalAccess`.
 */
export const authServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    discovery: coreServices.discovery,
    plugin: coreServices.pluginMetadata,
    database: coreServices.database,
    externalTokenHandlers: externalTokenHandlersServiceRef,
    rootLogger: coreServices.rootLogger,
    instanceMetadata: coreServices.rootInstanceMetadata,
  },
  // One key cache per backend: every plugin shares the fetched JWKS documents.
  async createRootContext({ config, rootLogger, instanceMetadata }) {
    await checkRestrictedPlugins({ config, rootLogger, instanceMetadata });
    return { jwks: new JwksCache() };
  },
  async factory({ config, logger, discovery, plugin, database, externalTokenHandlers }, { jwks }) {
    const pluginId = plugin.getId();
    const keySource = await createPluginKeySource({
      config,
      database,
      logger,
      keyDurationSeconds: TOKEN_TTL_SECONDS,
    });
    return new DefaultAuthService({
      pluginId,
      logger,
      keySource,
      pluginTokens: new PluginTokenHandler({
        ownPluginId: pluginId,
        keySource,
        discovery,
        jwks,
        tokenTtlSeconds: TOKEN_TTL_SECONDS,
      }),
      userTokens: new UserTokenHandler({ discovery, jwks }),
      externalTokens: ExternalTokenVerifier.fromConfig({
        ownPluginId: pluginId,
        config,
        logger,
        jwks,
        customHandlers: externalTokenHandlers,
      }),
      disableDefaultAuthPolicy:
        config.getOptionalBoolean('backend.auth.dangerouslyDisableDefaultAuthPolicy') ?? false,
    });
  },
});

/**
 * Warns about `accessRestrictions` naming plugins that are not installed. Runs once, when the first
 * plugin's auth service is created, by which time the runtime knows the installed plugins.
 */
async function checkRestrictedPlugins(options: {
  config: RootConfigService;
  rootLogger: LoggerService;
  instanceMetadata: RootInstanceMetadataService;
}): Promise<void> {
  const { config, rootLogger, instanceMetadata } = options;
  let plugins: ReadonlyArray<{ pluginId: string }>;
  try {
    plugins = await instanceMetadata.getInstalledPlugins();
  } catch (error) {
    // Only before the plugin list is known, which no plugin-scoped service ever sees.
    rootLogger.debug('Skipped checking the plugins in accessRestrictions', error as Error);
    return;
  }
  warnAboutUnknownRestrictedPlugins({
    config,
    logger: rootLogger.child({ service: 'auth' }),
    installedPluginIds: plugins.map(p => p.pluginId),
  });
}
