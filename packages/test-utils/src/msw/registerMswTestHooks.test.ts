import { registerMswTestHooks, type MswTestWorker } from './registerMswTestHooks';

/** Stands in for `setupServer()` of msw, recording what the hooks call. */
function recordingWorker(): MswTestWorker & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    listen: options => void calls.push(['listen', options]),
    resetHandlers: () => void calls.push(['resetHandlers']),
    close: () => void calls.push(['close']),
  };
}

describe('registerMswTestHooks', () => {
  const worker = recordingWorker();

  describe('with the global hooks of Vitest', () => {
    registerMswTestHooks(worker);

    it('should listen before the tests, failing on unhandled requests', () => {
      expect(worker.calls).toEqual([['listen', { onUnhandledRequest: 'error' }]]);
    });

    it('should reset the handlers after each test', () => {
      expect(worker.calls).toEqual([
        ['listen', { onUnhandledRequest: 'error' }],
        ['resetHandlers'],
      ]);
    });
  });

  it('should close the server after the tests of the describe block', () => {
    expect(worker.calls).toEqual([
      ['listen', { onUnhandledRequest: 'error' }],
      ['resetHandlers'],
      ['resetHandlers'],
      ['close'],
    ]);
  });

  it('should use the hooks it is given, for Vitest with globals off', () => {
    const registered: string[] = [];
    const hook = (name: string) => (fn: () => unknown) => {
      registered.push(name);
      fn();
    };
    const own = recordingWorker();
    registerMswTestHooks(own, {
      beforeAll: hook('beforeAll'),
      afterEach: hook('afterEach'),
      afterAll: hook('afterAll'),
    });
    expect(registered).toEqual(['beforeAll', 'afterEach', 'afterAll']);
    expect(own.calls).toEqual([
      ['listen', { onUnhandledRequest: 'error' }],
      ['resetHandlers'],
      ['close'],
    ]);
  });

  it('should say how to pass the hooks when the runner has no global ones', () => {
    vi.stubGlobal('beforeAll', undefined);
    try {
      expect(() => registerMswTestHooks(recordingWorker())).toThrow(
        "registerMswTestHooks found no test hooks: there is no global beforeAll/afterEach/afterAll and the file does not run under node:test. Turn on Vitest globals (test.globals: true), or pass the hooks: registerMswTestHooks(server, { beforeAll, afterEach, afterAll }) from 'vitest'.",
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
