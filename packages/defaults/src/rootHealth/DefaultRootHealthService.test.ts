import { describe, expect, it } from 'vitest';
import type { LoggerService } from '@backplane/plugin-api';
import { DefaultRootLifecycleService } from '../rootLifecycle/DefaultRootLifecycleService';
import { DefaultRootHealthService } from './DefaultRootHealthService';
import { rootHealthServiceFactory } from './rootHealthServiceFactory';

const logger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => logger,
};

describe('DefaultRootHealthService', () => {
  it('should report readiness through startup, running and shutdown', async () => {
    const lifecycle = new DefaultRootLifecycleService(logger);
    const health = new DefaultRootHealthService({ lifecycle });
    const seenDuringStartup: number[] = [];
    lifecycle.addStartupHook(async () => {
      seenDuringStartup.push((await health.getReadiness()).status);
    });

    const before = await health.getReadiness();
    await lifecycle.startup();
    const running = await health.getReadiness();
    await lifecycle.beforeShutdown();
    const stopping = await health.getReadiness();

    expect(before).toEqual({
      status: 503,
      payload: { message: 'Backend has not started yet', status: 'error' },
    });
    expect(seenDuringStartup).toEqual([503]);
    expect(running).toEqual({ status: 200, payload: { status: 'ok' } });
    expect(stopping).toEqual({
      status: 503,
      payload: { message: 'Backend is shutting down', status: 'error' },
    });
  });

  it('should always report liveness as ok', async () => {
    const lifecycle = new DefaultRootLifecycleService(logger);
    const health = new DefaultRootHealthService({ lifecycle });

    await expect(health.getLiveness()).resolves.toEqual({ status: 200, payload: { status: 'ok' } });
    await lifecycle.beforeShutdown();
    await expect(health.getLiveness()).resolves.toEqual({ status: 200, payload: { status: 'ok' } });
  });

  it('should stay not ready when the backend stops before it started', async () => {
    const lifecycle = new DefaultRootLifecycleService(logger);
    const health = new DefaultRootHealthService({ lifecycle });

    await lifecycle.beforeShutdown();
    await lifecycle.startup();

    expect((await health.getReadiness()).status).toBe(503);
  });

  it('should be provided by a root factory that depends on the root lifecycle', () => {
    expect(rootHealthServiceFactory).toMatchObject({
      service: { id: 'core.rootHealth', scope: 'root' },
      deps: { lifecycle: { id: 'core.rootLifecycle' } },
    });
  });
});
