import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultUserInfoService } from './DefaultUserInfoService';

/** The default `core.userInfo`: the calling user's entity ref and ownership refs. */
export const userInfoServiceFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: { discovery: coreServices.discovery },
  async factory({ discovery }) {
    return new DefaultUserInfoService({ discovery });
  },
});
