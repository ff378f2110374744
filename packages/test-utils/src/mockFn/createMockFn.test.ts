import { createBuiltInMockFn, createMockFn, setMockFunctionFactory } from './createMockFn';

describe('createBuiltInMockFn', () => {
  it('should record calls, results and call order like jest.fn', () => {
    const first = createBuiltInMockFn((a: number, b: number) => a + b);
    const second = createBuiltInMockFn();

    expect(first(1, 2)).toBe(3);
    second('x');
    first(3, 4);

    expect(first.mock.calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(first.mock.results).toEqual([
      { type: 'return', value: 3 },
      { type: 'return', value: 7 },
    ]);
    expect(first.mock.lastCall).toEqual([3, 4]);
    expect(first.mock.invocationCallOrder[0]).toBeLessThan(second.mock.invocationCallOrder[0]);
    expect(second.mock.invocationCallOrder[0]).toBeLessThan(first.mock.invocationCallOrder[1]);
  });

  it('should satisfy the toHaveBeenCalled matchers of the running expect', () => {
    const fn = createBuiltInMockFn();
    fn('a', { b: 1 });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('a', { b: 1 });
    expect(fn).toHaveReturnedWith(undefined);
  });

  it('should record thrown errors and rethrow them', () => {
    const fn = createBuiltInMockFn(() => {
      throw new Error('boom');
    });
    expect(() => fn()).toThrow('boom');
    expect(fn.mock.results[0]).toEqual({ type: 'throw', value: new Error('boom') });
  });

  it('should support once and default implementations, resolved and rejected values', async () => {
    const fn = createBuiltInMockFn<(n: number) => unknown>();
    fn.mockReturnValue('default').mockReturnValueOnce('first');
    expect(fn(1)).toBe('first');
    expect(fn(2)).toBe('default');

    fn.mockResolvedValueOnce('resolved').mockRejectedValueOnce(new Error('rejected'));
    await expect(fn(3)).resolves.toBe('resolved');
    await expect(fn(4)).rejects.toThrow('rejected');

    fn.mockImplementation(n => n * 2);
    expect(fn(5)).toBe(10);
    expect(fn.getMockImplementation()?.(1)).toBe(2);
  });

  it('should forget calls on mockClear and the implementation on mockReset', () => {
    const fn = createBuiltInMockFn(() => 'impl');
    fn();
    fn.mockClear();
    expect(fn.mock.calls).toEqual([]);
    expect(fn()).toBe('impl');
    fn.mockReset();
    expect(fn()).toBeUndefined();
    expect(fn.mock.calls).toEqual([[]]);
  });

  it('should keep the name given with mockName', () => {
    expect(createBuiltInMockFn().mockName('getThing').getMockName()).toBe('getThing');
  });
});

describe('createMockFn', () => {
  afterEach(() => setMockFunctionFactory(undefined));

  it('should use vi.fn when Vitest globals are on', () => {
    const fn = createMockFn(() => 1);
    expect(vi.isMockFunction(fn)).toBe(true);
    expect(fn()).toBe(1);
  });

  it('should use the factory set with setMockFunctionFactory', () => {
    const made: unknown[] = [];
    setMockFunctionFactory(impl => {
      made.push(impl);
      return createBuiltInMockFn(impl) as any;
    });
    const impl = () => 2;
    const fn = createMockFn(impl);
    expect(made).toEqual([impl]);
    expect(fn()).toBe(2);
  });
});
