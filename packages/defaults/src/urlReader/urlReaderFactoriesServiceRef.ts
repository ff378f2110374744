import { createServiceRef } from '@backplane/plugin-api';
import type { ReaderFactory } from './types';

/**
 * A multiton ref (`core.urlReader.factories`) through which modules add readers to the URL
 * reader: provide a factory for it with `createServiceFactory`.
 */
export const urlReaderFactoriesServiceRef = createServiceRef<ReaderFactory>({
  id: 'core.urlReader.factories',
  scope: 'plugin',
  multiton: true,
});
