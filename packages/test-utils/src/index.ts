/**
 * Test utilities for Backplane (and Backstage) backend plugins: an in-process test backend,
 * mocks of every core service, mock credentials, and real databases and caches per test.
 */
export { startTestBackend } from './backend/startTestBackend';
export type {
  TestBackend,
  TestBackendFeature,
  TestBackendOptions,
} from './backend/startTestBackend';
export { createTestServiceFactories } from './backend/createTestServiceFactories';
export type { TestServiceFactoriesOptions } from './backend/createTestServiceFactories';

export { mockServices } from './services/mockServices';
export { createServiceMock } from './services/createServiceMock';
export type { ServiceMock } from './services/createServiceMock';
export { MockRootConfig } from './services/MockRootConfig';
export { MockRootLoggerService } from './services/MockRootLoggerService';
export type { MockLogLevel, MockRootLoggerOptions } from './services/MockRootLoggerService';
export { MockSchedulerService } from './services/MockSchedulerService';
export type { MockSchedulerOptions } from './services/MockSchedulerService';
export { MockEventsService } from './services/MockEventsService';
export { MockUserInfoService } from './services/MockUserInfoService';
export { MockDiscoveryService } from './services/MockDiscoveryService';
export { mockErrorHandler } from './http/mockErrorHandler';
export { registerMswTestHooks } from './msw/registerMswTestHooks';
export type { MswTestHooks, MswTestWorker } from './msw/registerMswTestHooks';

export {
  mockCredentials,
  mockTokens,
  DEFAULT_MOCK_SERVICE_SUBJECT,
  DEFAULT_MOCK_USER_ENTITY_REF,
} from './credentials/mockCredentials';
export type { MockServiceTokenOptions } from './credentials/mockCredentials';
export { MockAuthService } from './credentials/MockAuthService';
export type { MockAuthServiceOptions } from './credentials/MockAuthService';
export { MockHttpAuthService } from './credentials/MockHttpAuthService';
export type { MockHttpAuthServiceOptions } from './credentials/MockHttpAuthService';

export { createMockFn, createBuiltInMockFn, setMockFunctionFactory } from './mockFn/createMockFn';
export type { MockFunction, MockFunctionFactory, MockFunctionState } from './mockFn/createMockFn';

export { TestDatabases } from './database/TestDatabases';
export type { TestDatabasesOptions } from './database/TestDatabases';
export type { TestDatabaseId } from './database/testDatabaseEngines';
export { TestCaches } from './cache/TestCaches';
export type { TestCacheId, TestCacheInstance, TestCachesOptions } from './cache/TestCaches';

export { ServiceFactoryTester } from './factoryTester/ServiceFactoryTester';
export type { ServiceFactoryTesterOptions } from './factoryTester/ServiceFactoryTester';

export { createMockDirectory } from './filesystem/createMockDirectory';
export type {
  MockDirectory,
  MockDirectoryContent,
  MockDirectoryContentCallback,
  MockDirectoryOptions,
  MockDirectoryReadOptions,
} from './filesystem/createMockDirectory';
