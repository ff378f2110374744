import { describe, expect, it } from 'vitest';
import type { LifecycleService, LoggerService } from '@backplane/plugin-api';
import { DefaultLifecycleService } from './DefaultLifecycleService';
import { lifecycleServiceFactory } from './lifecycleServiceFactory';

function recordingLogger(errors: Array<[string, string]>): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => errors.push([message, (meta as Error).message]),
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

describe('DefaultLifecycleService', () => {
  it('should run startup and shutdown hooks in order and isolate failures', async () => {
    const events: string[] = [];
    const errors: Array<[string, string]> = [];
    const lifecycle = new DefaultLifecycleService(recordingLogger(errors));
    lifecycle.addStartupHook(() => {
      throw new Error('warm-up failed');
    });
    lifecycle.addStartupHook(() => void events.push('startup'));
    lifecycle.addShutdownHook(async () => {
      events.push('shutdown 1');
      throw new Error('close failed');
    });
    lifecycle.addShutdownHook(() => void events.push('shutdown 2'));

    await lifecycle.startup();
    await lifecycle.shutdown();

    expect(events).toEqual(['startup', 'shutdown 1', 'shutdown 2']);
    expect(errors).toEqual([
      ['Plugin startup hook failed', 'warm-up failed'],
      ['Plugin shutdown hook failed', 'close failed'],
    ]);
  });

  it('should be created per plugin with the plugin logger', async () => {
    const errors: Array<[string, string]> = [];
    const factory = lifecycleServiceFactory as unknown as {
      factory(deps: object): Promise<LifecycleService & { startup(): Promise<void> }>;
    };
    const lifecycle = await factory.factory({
      logger: recordingLogger(errors),
      pluginMetadata: { getId: () => 'catalog' },
    });
    lifecycle.addStartupHook(() => {
      throw new Error('bad');
    });

    await lifecycle.startup();

    expect(lifecycleServiceFactory).toMatchObject({
      service: { id: 'core.lifecycle', scope: 'plugin' },
    });
    expect(errors).toEqual([['Plugin startup hook failed', 'bad']]);
  });
});
