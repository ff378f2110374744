import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { DefaultUrlReaderService } from './DefaultUrlReaderService';
import { urlReaderFactoriesServiceRef } from './urlReaderFactoriesServiceRef';

/**
 * The default `core.urlReader`: reads http(s) URLs and local files listed in
 * `backend.reading.allow`, plus whatever readers modules add via `core.urlReader.factories`.
 */
export const urlReaderServiceFactory = createServiceFactory({
  service: coreServices.urlReader,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    factories: urlReaderFactoriesServiceRef,
  },
  async factory({ config, logger, factories }) {
    return DefaultUrlReaderService.create({ config, logger, factories });
  },
});
