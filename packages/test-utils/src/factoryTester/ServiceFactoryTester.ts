import type { ServiceFactory, ServiceRef } from '@backplane/plugin-api';
import { createTestServiceFactories } from '../backend/createTestServiceFactories';
import { registerCleanup } from '../util/registerTestHook';
import { TestServiceRegistry } from './TestServiceRegistry';

/** Options for {@link ServiceFactoryTester.from}. */
export interface ServiceFactoryTesterOptions {
  /**
   * Factories for the services the subject depends on. They replace the test defaults (the mocks
   * of `startTestBackend` and the real defaults of the other core services).
   */
  dependencies?: ServiceFactory[];
}

/**
 * Builds a service from its factory, for a plugin id of your choice, with mock or chosen
 * dependencies, and without starting a backend.
 *
 * ```ts
 * const tester = ServiceFactoryTester.from(myCacheServiceFactory, {
 *   dependencies: [mockServices.rootConfig.factory({ data: { backend: { cache: { store: 'memory' } } } })],
 * });
 * const cache = await tester.getSubject('catalog');
 * ```
 *
 * Shutdown hooks of the lifecycle services it created run in `dispose()`, called by itself after
 * the test file when the runner has a global `afterAll` or `node:test` is in use.
 */
export class ServiceFactoryTester<TService, TScope extends 'root' | 'plugin' = 'root' | 'plugin'> {
  readonly #subject: ServiceFactory<TService, TScope>;
  readonly #registry: TestServiceRegistry;

  /** Creates a tester for `subject`. */
  static from<TService, TScope extends 'root' | 'plugin'>(
    subject: ServiceFactory<TService, TScope>,
    options: ServiceFactoryTesterOptions = {},
  ): ServiceFactoryTester<TService, TScope> {
    if (
      (subject as { $$type?: unknown })?.$$type !== '@backstage/BackendFeature' ||
      !subject.service
    ) {
      throw new TypeError(
        'ServiceFactoryTester.from: the subject is not a service factory; pass the result of ' +
          'createServiceFactory (for a mock, pass its .factory)',
      );
    }
    const tester = new ServiceFactoryTester(subject, options);
    registerCleanup(() => tester.dispose());
    return tester;
  }

  private constructor(
    subject: ServiceFactory<TService, TScope>,
    options: ServiceFactoryTesterOptions,
  ) {
    this.#subject = subject;
    this.#registry = new TestServiceRegistry([
      ...createTestServiceFactories({ discovery: 'fixed' }),
      ...(options.dependencies ?? []),
      subject,
    ]);
  }

  /** The service made by the subject factory, for `pluginId` (default `'test'`) if plugin-scoped. */
  async getSubject(pluginId = 'test'): Promise<TService> {
    return this.#registry.get(this.#subject.service, pluginId);
  }

  /** Any other service, as the subject's dependencies see it. */
  async getService<T>(ref: ServiceRef<T, any, any>, pluginId = 'test'): Promise<T> {
    return this.#registry.get(ref, pluginId);
  }

  /** Runs the shutdown hooks of the lifecycle services created so far. */
  async dispose(): Promise<void> {
    await this.#registry.shutdown();
  }
}
