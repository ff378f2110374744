import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultHttpAuthService } from './DefaultHttpAuthService';

/** The default `core.httpAuth`: bearer tokens and the `backstage-auth` cookie. */
export const httpAuthServiceFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: {
    auth: coreServices.auth,
    discovery: coreServices.discovery,
    plugin: coreServices.pluginMetadata,
  },
  async factory({ auth, discovery, plugin }) {
    return new DefaultHttpAuthService({ auth, discovery, pluginId: plugin.getId() });
  },
});
