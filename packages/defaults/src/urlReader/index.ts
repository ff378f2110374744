export { urlReaderServiceFactory } from './urlReaderServiceFactory';
export { urlReaderFactoriesServiceRef } from './urlReaderFactoriesServiceRef';
export { DefaultUrlReaderService } from './DefaultUrlReaderService';
export type { DefaultUrlReaderServiceOptions } from './DefaultUrlReaderService';
export { DefaultReadTreeResponseFactory } from './DefaultReadTreeResponseFactory';
export { FetchUrlReader } from './FetchUrlReader';
export { FileUrlReader } from './FileUrlReader';
export { ReadAllowList, READING_ALLOW_KEY } from './ReadAllowList';
export type {
  ReaderFactory,
  ReaderFactoryOptions,
  ReadTreeResponseFactory,
  TreeFile,
  UrlReaderPredicateTuple,
} from './types';
