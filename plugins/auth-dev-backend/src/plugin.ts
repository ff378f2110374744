import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { DevKeyStore } from './DevKeyStore';
import { DevTokenIssuer } from './DevTokenIssuer';
import { DevUserInfoStore, migrateDevTables } from './migrations';
import { ALLOW_CONFIG_KEY, createDevRouter } from './router';

/** User tokens and signing keys live one hour, like those of the official auth plugin. */
const TOKEN_TTL_SECONDS = 3600;

/** Options for {@link createAuthDevPlugin}. */
export interface AuthDevPluginOptions {
  /**
   * The environment name sign-in is allowed in without config; defaults to `process.env.NODE_ENV`
   * read at init. Sign-in is allowed when it is `development` or `auth.dev.allow` is true.
   */
  nodeEnv?: string;
}

/**
 * Creates the dev sign-in plugin (plugin id `auth`). It issues real user tokens, so it must never
 * run on a shared or public backend: token routes answer 403 unless `NODE_ENV` is `development`
 * or config sets `auth.dev.allow: true`. Use it instead of, not next to, another `auth` plugin.
 */
export function createAuthDevPlugin(options: AuthDevPluginOptions = {}) {
  return createBackendPlugin({
    pluginId: 'auth',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          logger: coreServices.logger,
          config: coreServices.rootConfig,
          database: coreServices.database,
          discovery: coreServices.discovery,
        },
        async init({ httpRouter, logger, config, database, discovery }) {
          const nodeEnv = 'nodeEnv' in options ? options.nodeEnv : process.env.NODE_ENV;
          const allowedByConfig = config.getOptionalBoolean(ALLOW_CONFIG_KEY) ?? false;
          const allowed = allowedByConfig || nodeEnv === 'development';
          const refusal = allowed
            ? undefined
            : `Dev sign-in is refused because NODE_ENV is '${nodeEnv ?? ''}', not 'development'; set '${ALLOW_CONFIG_KEY}: true' in app-config to allow it anyway (never on a shared or public backend)`;
          if (allowed) {
            logger.warn(
              'Dev sign-in is on: anyone who can reach this backend can sign in as any user',
              {
                allowedBy: allowedByConfig ? ALLOW_CONFIG_KEY : 'NODE_ENV=development',
              },
            );
          }

          const knex = await database.getClient();
          if (!database.migrations?.skip) {
            await migrateDevTables(knex);
          }
          const keys = DevKeyStore.create({ knex, logger, keyDurationSeconds: TOKEN_TTL_SECONDS });
          const getIssuerUrl = () => discovery.getExternalBaseUrl('auth');
          const issuer = new DevTokenIssuer({
            keys,
            getIssuer: getIssuerUrl,
            tokenTtlSeconds: TOKEN_TTL_SECONDS,
          });

          httpRouter.use(
            createDevRouter({
              logger,
              keys,
              issuer,
              userInfo: new DevUserInfoStore(knex),
              getIssuerUrl,
              refusal: () => refusal,
            }),
          );
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

/** The dev sign-in plugin with default options. */
export const authDevPlugin = createAuthDevPlugin();
