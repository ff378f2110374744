import { describe, expect, it } from 'vitest';
import { coreServices, createBackendPlugin, createServiceFactory } from '@backplane/plugin-api';
import { createSpecializedBackend } from '../createSpecializedBackend';
import { createTestDoubles, startError } from '../__fixtures__/testDoubles';

function plugin(pluginId: string, init: (deps: any) => void | Promise<void> = () => {}) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({ deps: { lifecycle: coreServices.lifecycle }, init });
    },
  });
}

describe('stopBackend', () => {
  it('should run root beforeShutdown, then every plugin shutdown, then root shutdown', async () => {
    const { factories, events } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    backend.add(
      plugin('a', ({ lifecycle }) => lifecycle.addShutdownHook(() => void events.push('a hook'))),
    );
    backend.add(plugin('b'));
    await backend.start();
    events.length = 0;

    await backend.stop();

    expect(events[0]).toBe('root:beforeShutdown');
    expect(events.slice(1, 4).sort()).toEqual(['a hook', 'a:shutdown', 'b:shutdown']);
    expect(events[4]).toBe('root:shutdown');
  });

  it('should be idempotent', async () => {
    const { factories, events } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    backend.add(plugin('a'));
    await backend.start();
    events.length = 0;

    const first = backend.stop();
    const second = backend.stop();
    await Promise.all([first, second, backend.stop()]);

    expect(first).toBe(second);
    expect(events.filter(e => e === 'root:shutdown')).toHaveLength(1);
  });

  it('should resolve when the backend never started', async () => {
    const backend = createSpecializedBackend({ defaultServiceFactories: [] });

    await expect(backend.stop()).resolves.toBeUndefined();
  });

  it('should stop what started when start failed halfway', async () => {
    const { factories, events } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    backend.add(plugin('good'));
    backend.add(
      plugin('bad', () => {
        throw new Error('boom');
      }),
    );
    await startError(backend.start());
    events.length = 0;

    await backend.stop();

    expect(events[0]).toBe('root:beforeShutdown');
    expect(events.slice(1, 3).sort()).toEqual(['bad:shutdown', 'good:shutdown']);
    expect(events[3]).toBe('root:shutdown');
  });

  it('should wait for a start in progress before stopping', async () => {
    const { factories, events } = createTestDoubles();
    const backend = createSpecializedBackend({ defaultServiceFactories: factories });
    let release!: () => void;
    backend.add(plugin('slow', () => new Promise<void>(resolve => (release = resolve))));
    const starting = backend.start();
    await new Promise(resolve => setTimeout(resolve, 10));

    const stopping = backend.stop();
    release();
    await Promise.all([starting, stopping]);

    expect(events.indexOf('root:startup')).toBeLessThan(events.indexOf('root:beforeShutdown'));
  });

  it('should throw a clear error naming the service when rootLifecycle lacks the internal methods', async () => {
    const { rootLogger, rootConfig } = createTestDoubles();
    const publicOnly = createServiceFactory({
      service: coreServices.rootLifecycle,
      deps: {},
      factory: () => ({
        addStartupHook() {},
        addShutdownHook() {},
        addBeforeShutdownHook() {},
      }),
    });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [rootLogger, rootConfig, publicOnly],
    });

    await expect(backend.start()).rejects.toThrow(
      "BACKPLANE_LIFECYCLE_PROTOCOL: The 'core.rootLifecycle' service lacks startup(), beforeShutdown(), shutdown(), which the runtime calls to run its hooks. Use the rootLifecycle factory from @backplane/defaults, or give your implementation startup(), beforeShutdown(), shutdown() methods that run the registered hooks in order and return a promise.",
    );
  });

  it('should throw a clear error naming the plugin when its lifecycle lacks the internal methods', async () => {
    const { rootLogger, rootConfig, rootLifecycle } = createTestDoubles();
    const publicOnly = createServiceFactory({
      service: coreServices.lifecycle,
      deps: {},
      factory: () => ({ addStartupHook() {}, addShutdownHook() {} }),
    });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [rootLogger, rootConfig, rootLifecycle, publicOnly],
    });
    backend.add(plugin('p'));

    const error = await startError(backend.start());

    expect(error.message).toContain(
      "Plugin 'p' failed to start: BACKPLANE_LIFECYCLE_PROTOCOL: The 'core.lifecycle' service of plugin 'p' lacks startup(), shutdown(), which the runtime calls to run its hooks.",
    );
  });

  it('should run every step even when one fails, then reject naming the failure', async () => {
    const { rootLogger, rootConfig, lifecycle, events } = createTestDoubles();
    const failingRoot = createServiceFactory({
      service: coreServices.rootLifecycle,
      deps: {},
      factory: () =>
        ({
          addStartupHook() {},
          addShutdownHook() {},
          addBeforeShutdownHook() {},
          startup: async () => {},
          beforeShutdown: async () => {
            throw new Error('server would not close');
          },
          shutdown: async () => void events.push('root:shutdown'),
        }) as any,
    });
    const backend = createSpecializedBackend({
      defaultServiceFactories: [rootLogger, rootConfig, failingRoot, lifecycle],
    });
    backend.add(plugin('p'));
    await backend.start();
    events.length = 0;

    await expect(backend.stop()).rejects.toThrow(
      'BACKPLANE_SHUTDOWN_FAILED: Stopping the backend failed in 1 step(s): Error: server would not close. Every other shutdown step still ran; fix the lifecycle service or hook named above.',
    );
    expect(events).toEqual(['p:shutdown', 'root:shutdown']);
  });
});
