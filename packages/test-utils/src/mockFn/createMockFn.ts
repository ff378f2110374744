/** A function that records its calls, shaped like `jest.fn()` / `vi.fn()`. */
export interface MockFunction<TFn extends (...args: any[]) => any = (...args: any[]) => any> {
  (...args: Parameters<TFn>): ReturnType<TFn>;
  /** What the function saw, in the layout Jest and Vitest use (`mock.calls[0][0]` is the first argument of the first call). */
  mock: MockFunctionState<TFn>;
  /** Marks the function for the `toHaveBeenCalled…` matchers of Jest and Vitest. */
  _isMockFunction: true;
  mockImplementation(fn: TFn): this;
  mockImplementationOnce(fn: TFn): this;
  mockReturnValue(value: ReturnType<TFn>): this;
  mockReturnValueOnce(value: ReturnType<TFn>): this;
  mockResolvedValue(value: Awaited<ReturnType<TFn>>): this;
  mockResolvedValueOnce(value: Awaited<ReturnType<TFn>>): this;
  mockRejectedValue(reason: unknown): this;
  mockRejectedValueOnce(reason: unknown): this;
  /** Forgets the recorded calls; keeps the implementation. */
  mockClear(): this;
  /** Forgets the recorded calls and the implementation. */
  mockReset(): this;
  mockRestore(): void;
  getMockImplementation(): TFn | undefined;
  getMockName(): string;
  mockName(name: string): this;
}

/** The record kept by a {@link MockFunction}. */
export interface MockFunctionState<TFn extends (...args: any[]) => any> {
  calls: Array<Parameters<TFn>>;
  results: Array<{ type: 'return' | 'throw' | 'incomplete'; value: unknown }>;
  settledResults: Array<{ type: 'fulfilled' | 'rejected' | 'incomplete'; value: unknown }>;
  instances: unknown[];
  contexts: unknown[];
  invocationCallOrder: number[];
  lastCall: Parameters<TFn> | undefined;
}

/** Makes a mock function from an optional implementation, like `vi.fn`, `jest.fn` or `mock.fn` of `node:test`. */
export type MockFunctionFactory = <TFn extends (...args: any[]) => any>(
  implementation?: TFn,
) => TFn;

let configuredFactory: MockFunctionFactory | undefined;
let invocationCounter = 0;

/**
 * Chooses how every mock made by this package is created, for example `setMockFunctionFactory(vi.fn)`
 * when Vitest globals are off, or `setMockFunctionFactory(mock.fn)` to get `node:test` mocks. Pass
 * `undefined` to return to automatic detection.
 */
export function setMockFunctionFactory(factory: MockFunctionFactory | undefined): void {
  configuredFactory = factory;
}

// Jest hands every module it loads a module-scoped `jest` object rather than a global one.
declare const jest: { fn?: MockFunctionFactory } | undefined;

function detectRunnerFactory(): MockFunctionFactory | undefined {
  const globals = globalThis as {
    vi?: { fn?: MockFunctionFactory };
    jest?: { fn?: MockFunctionFactory };
  };
  if (typeof globals.vi?.fn === 'function') {
    return globals.vi.fn;
  }
  if (typeof globals.jest?.fn === 'function') {
    return globals.jest.fn;
  }
  if (typeof jest !== 'undefined' && typeof jest?.fn === 'function') {
    return jest.fn;
  }
  return undefined;
}

/**
 * Creates a mock function. The factory set with {@link setMockFunctionFactory} wins; otherwise
 * `vi.fn` when Vitest globals are on, `jest.fn` under Jest, and else a built-in recorder with the
 * same `mock.calls` layout and the marker the Jest and Vitest matchers look for, so
 * `expect(fn).toHaveBeenCalledWith(…)` and `assert.deepStrictEqual(fn.mock.calls, …)` work everywhere.
 */
export function createMockFn<TFn extends (...args: any[]) => any>(
  implementation?: TFn,
): MockFunction<TFn> & TFn {
  const factory = configuredFactory ?? detectRunnerFactory();
  if (factory) {
    return factory(implementation) as MockFunction<TFn> & TFn;
  }
  return createBuiltInMockFn(implementation);
}

/** The built-in recorder behind {@link createMockFn}, usable directly when no runner is wanted. */
export function createBuiltInMockFn<TFn extends (...args: any[]) => any>(
  implementation?: TFn,
): MockFunction<TFn> & TFn {
  let defaultImpl: TFn | undefined = implementation;
  let onceImpls: TFn[] = [];
  let name = 'mockFn';

  const state: MockFunctionState<TFn> = {
    calls: [],
    results: [],
    settledResults: [],
    instances: [],
    contexts: [],
    invocationCallOrder: [],
    lastCall: undefined,
  };

  const mockFn = function (this: unknown, ...args: Parameters<TFn>) {
    state.calls.push(args);
    state.lastCall = args;
    state.contexts.push(this);
    state.instances.push(new.target ? this : undefined);
    state.invocationCallOrder.push(++invocationCounter);
    const result: { type: 'return' | 'throw' | 'incomplete'; value: unknown } = {
      type: 'incomplete',
      value: undefined,
    };
    const settled: { type: 'fulfilled' | 'rejected' | 'incomplete'; value: unknown } = {
      type: 'incomplete',
      value: undefined,
    };
    state.results.push(result);
    state.settledResults.push(settled);

    const impl = onceImpls.shift() ?? defaultImpl;
    try {
      const value = impl ? impl.apply(this, args) : undefined;
      result.type = 'return';
      result.value = value;
      if (value && typeof (value as Promise<unknown>).then === 'function') {
        (value as Promise<unknown>).then(
          v => Object.assign(settled, { type: 'fulfilled', value: v }),
          e => Object.assign(settled, { type: 'rejected', value: e }),
        );
      } else {
        Object.assign(settled, { type: 'fulfilled', value });
      }
      return value;
    } catch (error) {
      result.type = 'throw';
      result.value = error;
      Object.assign(settled, { type: 'rejected', value: error });
      throw error;
    }
  } as MockFunction<TFn> & TFn;

  const clear = () => {
    state.calls = [];
    state.results = [];
    state.settledResults = [];
    state.instances = [];
    state.contexts = [];
    state.invocationCallOrder = [];
    state.lastCall = undefined;
  };

  Object.assign(mockFn, {
    mock: state,
    _isMockFunction: true,
    mockImplementation(fn: TFn) {
      defaultImpl = fn;
      return mockFn;
    },
    mockImplementationOnce(fn: TFn) {
      onceImpls.push(fn);
      return mockFn;
    },
    mockReturnValue(value: unknown) {
      defaultImpl = (() => value) as TFn;
      return mockFn;
    },
    mockReturnValueOnce(value: unknown) {
      onceImpls.push((() => value) as TFn);
      return mockFn;
    },
    mockResolvedValue(value: unknown) {
      defaultImpl = (() => Promise.resolve(value)) as TFn;
      return mockFn;
    },
    mockResolvedValueOnce(value: unknown) {
      onceImpls.push((() => Promise.resolve(value)) as TFn);
      return mockFn;
    },
    mockRejectedValue(reason: unknown) {
      defaultImpl = (() => Promise.reject(reason)) as TFn;
      return mockFn;
    },
    mockRejectedValueOnce(reason: unknown) {
      onceImpls.push((() => Promise.reject(reason)) as TFn);
      return mockFn;
    },
    mockClear() {
      clear();
      return mockFn;
    },
    mockReset() {
      clear();
      defaultImpl = undefined;
      onceImpls = [];
      return mockFn;
    },
    mockRestore() {
      clear();
      defaultImpl = implementation;
      onceImpls = [];
    },
    getMockImplementation() {
      return defaultImpl;
    },
    getMockName() {
      return name;
    },
    mockName(newName: string) {
      name = newName;
      return mockFn;
    },
  });
  return mockFn;
}
