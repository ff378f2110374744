import request from 'supertest';
import { coreServices, createBackendPlugin } from '@backplane/plugin-api';
import {
  actionsServiceRef,
  metricsServiceRef,
  tracingServiceRef,
} from '@backplane/plugin-api/alpha';
import { startTestBackend } from '../backend/startTestBackend';
import { mockCredentials } from '../credentials/mockCredentials';
import { actionsServiceMock } from './actionsServiceMock';
import { metricsServiceMock } from './metricsServiceMock';
import { tracingServiceMock } from './tracingServiceMock';

const sitePlugin = createBackendPlugin({
  pluginId: 'site',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        metrics: metricsServiceRef,
        tracing: tracingServiceRef,
      },
      async init({ httpRouter, metrics, tracing }) {
        const checks = metrics.createCounter('site.checks');
        httpRouter.use(async (req, res) => {
          const up = await tracing.startActiveSpan('check-site', async span => {
            span.setAttribute('site', 'example.com');
            return true;
          });
          checks.add(1, { up });
          res.json({ up });
        });
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('actionsServiceMock', () => {
  it('should make list and invoke mock functions, with partial implementations', async () => {
    const actions = actionsServiceMock.mock({
      invoke: async ({ id }) => ({ output: { invoked: id } }),
    });
    const credentials = mockCredentials.user();
    await expect(actions.invoke({ id: 'catalog:get', credentials })).resolves.toEqual({
      output: { invoked: 'catalog:get' },
    });
    expect(actions.invoke).toHaveBeenCalledWith({ id: 'catalog:get', credentials });
    expect(actions.list({ credentials })).toBeUndefined();
    expect(actions.factory.service.id).toBe('alpha.core.actions');
    expect(actionsServiceMock.factory().service.id).toBe('alpha.core.actions');
  });
});

describe('metricsServiceMock and tracingServiceMock', () => {
  it('should record the metrics and spans of a plugin in a test backend', async () => {
    const metrics = metricsServiceMock.mock();
    const tracing = tracingServiceMock.mock();
    const { server } = await startTestBackend({
      features: [sitePlugin, metrics.factory, tracing.factory],
    });

    await request(server).get('/api/site').expect(200, { up: true });

    expect(metrics.createCounter).toHaveBeenCalledWith('site.checks');
    const counter = metrics.createCounter.mock.results[0].value as { add: unknown };
    expect(counter.add).toHaveBeenCalledWith(1, { up: true });
    expect(tracing.startActiveSpan).toHaveBeenCalledWith('check-site', expect.any(Function));
    expect(tracing.spans).toHaveLength(1);
    expect(tracing.spans[0].setAttribute).toHaveBeenCalledWith('site', 'example.com');
  });

  it('should give every metrics instrument mock functions', () => {
    const metrics = metricsServiceMock.mock();
    metrics.createHistogram('latency').record(42);
    metrics.createObservableGauge('queue').addCallback(() => {});
    const [histogram] = metrics.createHistogram.mock.results;
    const [gauge] = metrics.createObservableGauge.mock.results;
    expect((histogram.value as { record: unknown }).record).toHaveBeenCalledWith(42);
    expect((gauge.value as { addCallback: unknown }).addCallback).toHaveBeenCalled();
    expect(metricsServiceMock.factory().service.id).toBe('alpha.core.metrics');
  });
});

describe('tracingServiceMock', () => {
  it('should run span functions with and without options and return their result', async () => {
    const tracing = tracingServiceMock.mock();
    await expect(tracing.startActiveSpan('a', () => 1)).resolves.toBe(1);
    await expect(tracing.startActiveSpan('b', { kind: 'client' }, async () => 2)).resolves.toBe(2);
    expect(tracing.startActiveSpan.mock.calls[1][1]).toEqual({ kind: 'client' });
    expect(tracing.spans).toHaveLength(2);
    expect(tracingServiceMock.factory().service.id).toBe('alpha.core.tracing');
  });

  it('should carry baggage from extracted headers into the active context', async () => {
    const tracing = tracingServiceMock.mock();
    const extracted = tracing.propagation.extract(tracing.context.active(), {
      Baggage: 'tenant=acme;ttl=60, user%20id=alice%20b',
    });
    expect(tracing.propagation.getBaggage(extracted)?.getAllEntries()).toEqual([
      ['tenant', { value: 'acme' }],
      ['user id', { value: 'alice b' }],
    ]);
    expect(tracing.propagation.getActiveBaggage()).toBeUndefined();
    const inside = await tracing.context.with(extracted, () =>
      tracing.propagation.getActiveBaggage()?.getAllEntries(),
    );
    expect(inside).toEqual([
      ['tenant', { value: 'acme' }],
      ['user id', { value: 'alice b' }],
    ]);
    expect(tracing.propagation.getActiveBaggage()).toBeUndefined();
    expect(tracing.propagation.extract).toHaveBeenCalledTimes(1);
  });

  it('should let tests override the active baggage', () => {
    const tracing = tracingServiceMock.mock();
    tracing.propagation.getActiveBaggage.mockReturnValue({ getAllEntries: () => [] });
    expect(tracing.propagation.getActiveBaggage()?.getAllEntries()).toEqual([]);
  });
});
