import { describe, expect, it } from 'vitest';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { startRuntimeBackend } from '../auth/__fixtures__/runtimeBackend';
import { waitFor } from './__fixtures__/testKnex';

describe('scheduler during backend.lifecycle.serverShutdownDelay', () => {
  it('should start no task run once the backend began to stop, while the server still drains', async () => {
    const starts: Array<{ task: string; at: number }> = [];
    const backend = await startRuntimeBackend({
      config: { backend: { lifecycle: { serverShutdownDelay: { milliseconds: 1500 } } } },
      features: [
        createBackendPlugin({
          pluginId: 'drain',
          register(reg) {
            reg.registerInit({
              deps: { scheduler: coreServices.scheduler },
              async init({ scheduler }) {
                for (const scope of ['local', 'global'] as const) {
                  await scheduler.scheduleTask({
                    id: `every-100ms-${scope}`,
                    scope,
                    frequency: { milliseconds: 100 },
                    timeout: { seconds: 5 },
                    fn: async () => void starts.push({ task: scope, at: Date.now() }),
                  });
                }
              },
            });
          },
        }),
      ],
    });
    await waitFor('a run of both tasks', () =>
      ['local', 'global'].every(task => starts.some(s => s.task === task)),
    );

    const stopBegan = Date.now();
    await backend.stop();
    const stopTook = Date.now() - stopBegan;

    // The server kept accepting for the whole delay, and no replica-wide or local run began in it.
    expect(stopTook).toBeGreaterThanOrEqual(1400);
    expect(starts.filter(s => s.at >= stopBegan)).toEqual([]);
  });
});
