import { describe, expect, it } from 'vitest';
import type { LoggerService } from '@backplane/plugin-api';
import { DefaultRootLifecycleService } from './DefaultRootLifecycleService';
import { rootLifecycleServiceFactory } from './rootLifecycleServiceFactory';

/** A logger that records error calls as [message, error message]. */
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

const tick = () => new Promise(resolve => setTimeout(resolve, 5));

describe('DefaultRootLifecycleService', () => {
  it('should run each phase in order, awaiting every hook before the next', async () => {
    const events: string[] = [];
    const lifecycle = new DefaultRootLifecycleService(recordingLogger([]));
    lifecycle.addShutdownHook(() => void events.push('shutdown'));
    lifecycle.addStartupHook(async () => {
      await tick();
      events.push('startup 1');
    });
    lifecycle.addStartupHook(() => void events.push('startup 2'));
    lifecycle.addBeforeShutdownHook(() => void events.push('before shutdown'));

    await lifecycle.startup();
    await lifecycle.beforeShutdown();
    await lifecycle.shutdown();

    expect(events).toEqual(['startup 1', 'startup 2', 'before shutdown', 'shutdown']);
  });

  it('should start every before-shutdown hook at once and finish the phase when all finished', async () => {
    const events: string[] = [];
    const lifecycle = new DefaultRootLifecycleService(recordingLogger([]));
    let releaseDrain!: () => void;
    lifecycle.addBeforeShutdownHook(async () => {
      events.push('drain begins');
      await new Promise<void>(resolve => (releaseDrain = resolve));
      events.push('drain ends');
    });
    lifecycle.addBeforeShutdownHook(() => {
      events.push('scheduler stops');
      lifecycle.addBeforeShutdownHook(() => void events.push('added during the phase'));
    });
    lifecycle.addShutdownHook(() => void events.push('shutdown'));

    const phase = lifecycle.beforeShutdown().then(() => events.push('phase done'));
    await tick();
    expect(events).toEqual(['drain begins', 'scheduler stops', 'added during the phase']);

    releaseDrain();
    await phase;
    await lifecycle.shutdown();
    expect(events.slice(3)).toEqual(['drain ends', 'phase done', 'shutdown']);
  });

  it('should log a failing hook on its own logger or the root logger and run the rest', async () => {
    const rootErrors: Array<[string, string]> = [];
    const hookErrors: Array<[string, string]> = [];
    const events: string[] = [];
    const lifecycle = new DefaultRootLifecycleService(recordingLogger(rootErrors));
    lifecycle.addShutdownHook(() => {
      throw new Error('close failed');
    });
    lifecycle.addShutdownHook(
      async () => {
        throw new Error('flush failed');
      },
      { logger: recordingLogger(hookErrors) },
    );
    lifecycle.addShutdownHook(() => void events.push('still ran'));
    lifecycle.addBeforeShutdownHook(() => {
      throw new Error('drain failed');
    });

    await lifecycle.beforeShutdown();
    await expect(lifecycle.shutdown()).resolves.toBeUndefined();

    expect(rootErrors).toEqual([
      ['Root before-shutdown hook failed', 'drain failed'],
      ['Root shutdown hook failed', 'close failed'],
    ]);
    expect(hookErrors).toEqual([['Root shutdown hook failed', 'flush failed']]);
    expect(events).toEqual(['still ran']);
  });

  it('should run each phase once, however often the runtime calls it', async () => {
    let runs = 0;
    const lifecycle = new DefaultRootLifecycleService(recordingLogger([]));
    lifecycle.addStartupHook(async () => {
      await tick();
      runs++;
    });

    await Promise.all([lifecycle.startup(), lifecycle.startup()]);
    await lifecycle.startup();

    expect(runs).toBe(1);
  });

  it('should queue hooks added while a phase runs and run hooks added after it right away', async () => {
    const events: string[] = [];
    const errors: Array<[string, string]> = [];
    const lifecycle = new DefaultRootLifecycleService(recordingLogger(errors));
    lifecycle.addStartupHook(() => {
      lifecycle.addStartupHook(() => void events.push('added during startup'));
      events.push('first');
    });
    lifecycle.addStartupHook(() => void events.push('second'));

    await lifecycle.startup();
    lifecycle.addStartupHook(() => void events.push('added after startup'));
    lifecycle.addStartupHook(() => {
      throw new Error('late failure');
    });
    await tick();

    expect(events).toEqual(['first', 'second', 'added during startup', 'added after startup']);
    expect(errors).toEqual([['Root startup hook failed', 'late failure']]);
  });

  it('should refuse a hook that is not a function', () => {
    const lifecycle = new DefaultRootLifecycleService(recordingLogger([]));

    expect(() => lifecycle.addStartupHook('nope' as never)).toThrow(
      'A lifecycle hook must be a function, got string',
    );
  });

  it('should be provided by a root factory that depends on the root logger', () => {
    expect(rootLifecycleServiceFactory).toMatchObject({
      service: { id: 'core.rootLifecycle', scope: 'root' },
      deps: { logger: { id: 'core.rootLogger' } },
    });
  });
});
