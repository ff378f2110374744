import { describe, expect, it } from 'vitest';
import { createSpecializedBackend } from '@backplane/runtime';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import { lifecycleServiceFactory } from '@backplane/defaults/lifecycle';
import { loggerServiceFactory } from '@backplane/defaults/logger';
import { rootConfigServiceFactory } from '@backplane/defaults/rootConfig';
import { rootLifecycleServiceFactory } from '@backplane/defaults/rootLifecycle';
import { rootLoggerServiceFactory } from '@backplane/defaults/rootLogger';
import { eventsServiceFactory } from './eventsServiceFactory';
import { eventsServiceRef, type EventParams } from './EventsService';

describe('eventsServiceFactory', () => {
  it('should deliver events between plugins of one backend', async () => {
    const received: EventParams[] = [];
    const backend = createSpecializedBackend({
      defaultServiceFactories: [
        rootConfigServiceFactory({
          argv: ['node', 'test'],
          cwd: '/nonexistent-dir',
          env: { APP_CONFIG_backend_logger_level: 'warn' },
        }),
        rootLoggerServiceFactory,
        loggerServiceFactory,
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        eventsServiceFactory,
      ],
      handleProcessSignals: false,
    });
    // A ref created elsewhere (like the one in @backstage/plugin-events-node) matches by id.
    const foreignRef = { ...eventsServiceRef };
    backend.add(
      createBackendPlugin({
        pluginId: 'listener',
        register(reg) {
          reg.registerInit({
            deps: { events: foreignRef },
            async init({ events }) {
              await events.subscribe({
                id: 'collect',
                topics: ['greetings'],
                onEvent: async e => void received.push(e),
              });
            },
          });
        },
      }),
    );
    backend.add(
      createBackendPlugin({
        pluginId: 'speaker',
        register(reg) {
          reg.registerInit({
            deps: { events: eventsServiceRef, rootLifecycle: coreServices.rootLifecycle },
            async init({ events, rootLifecycle }) {
              // Publish once every plugin has started, so the listener is subscribed.
              rootLifecycle.addStartupHook(() =>
                events.publish({ topic: 'greetings', eventPayload: 'hi' }),
              );
            },
          });
        },
      }),
    );
    await backend.start();
    await backend.stop();
    expect(received).toEqual([{ topic: 'greetings', eventPayload: 'hi' }]);
  });
});
