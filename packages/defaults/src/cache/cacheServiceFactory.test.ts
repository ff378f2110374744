import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  deleteRunKeys,
  shutdownCacheBackends,
  sleep,
  startCacheBackend,
  testStores,
} from './__fixtures__/testCaches';

afterEach(shutdownCacheBackends);
afterAll(deleteRunKeys);

describe.each(testStores)('cacheServiceFactory with the $name store', store => {
  it('should return undefined for a key that was never set', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');

    expect(await cache.get('missing')).toBeUndefined();
  });

  it('should round-trip JSON values', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');
    const values = {
      object: { name: 'a', nested: { list: [1, 'two', false, null], empty: {} } },
      array: [{ a: 1 }, [2, 3]],
      string: 'héllo – 世界',
      emptyString: '',
      number: 3.25,
      zero: 0,
      boolean: false,
      null: null,
    };

    for (const [key, value] of Object.entries(values)) {
      await cache.set(key, value);
    }
    for (const [key, value] of Object.entries(values)) {
      expect(await cache.get(key)).toEqual(value);
    }
  });

  it('should keep a copy, not a reference, of the value', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');
    const value = { count: 1 };

    await cache.set('k', value);
    value.count = 2;

    expect(await cache.get('k')).toEqual({ count: 1 });
  });

  it('should overwrite and delete entries', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');

    await cache.set('k', 'first');
    await cache.set('k', 'second');
    expect(await cache.get('k')).toBe('second');

    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
    await cache.delete('never-set');
  });

  it('should expire an entry after its ttl in milliseconds or as a duration object', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');

    await cache.set('ms', 'v', { ttl: 150 });
    await cache.set('object', 'v', { ttl: { milliseconds: 150 } });
    await cache.set('forever', 'v');
    expect(await cache.get('ms')).toBe('v');
    expect(await cache.get('object')).toBe('v');

    await sleep(300);
    expect(await cache.get('ms')).toBeUndefined();
    expect(await cache.get('object')).toBeUndefined();
    expect(await cache.get('forever')).toBe('v');
  });

  it('should apply withOptions({ defaultTtl }) without changing the original client', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');
    const shortLived = cache.withOptions({ defaultTtl: 150 });

    await shortLived.set('short', 'v');
    await shortLived.set('explicit', 'v', { ttl: 60_000 });
    await cache.set('long', 'v');
    expect(await cache.get('short')).toBe('v');

    await sleep(300);
    expect(await shortLived.get('short')).toBeUndefined();
    expect(await shortLived.get('explicit')).toBe('v');
    expect(await shortLived.get('long')).toBe('v');
  });

  it("should apply 'backend.cache.defaultTtl' from config", async () => {
    const backend = await startCacheBackend(store.config({ defaultTtl: { milliseconds: 150 } }));
    const cache = await backend.forPlugin('catalog');

    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');

    await sleep(300);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('should keep the keys of each plugin apart', async () => {
    const backend = await startCacheBackend(store.config());
    const catalog = await backend.forPlugin('catalog');
    const search = await backend.forPlugin('search');

    await catalog.set('shared-name', 'catalog value');
    await search.set('shared-name', 'search value');
    expect(await catalog.get('shared-name')).toBe('catalog value');
    expect(await search.get('shared-name')).toBe('search value');

    await catalog.delete('shared-name');
    expect(await catalog.get('shared-name')).toBeUndefined();
    expect(await search.get('shared-name')).toBe('search value');
  });

  it('should share entries between clients of the same plugin', async () => {
    const backend = await startCacheBackend(store.config());
    const first = await backend.forPlugin('catalog');
    const second = (await backend.forPlugin('catalog')).withOptions({ defaultTtl: 60_000 });

    await first.set('k', 'v');

    expect(await second.get('k')).toBe('v');
  });

  it('should reject a value that is not JSON, naming the key and the plugin', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');

    await expect(cache.set('k', undefined as never)).rejects.toThrow(
      "Cannot cache the value for key 'k' of plugin 'catalog': undefined is not a JSON value. " +
        'Store plain objects, arrays, strings, numbers, booleans or null.',
    );
    await expect(cache.set('k', { n: BigInt(1) } as never)).rejects.toThrow(
      "Cannot cache the value for key 'k' of plugin 'catalog': it is not JSON-serializable.",
    );
  });

  it('should reject an invalid ttl, naming the plugin', async () => {
    const cache = await (await startCacheBackend(store.config())).forPlugin('catalog');

    await expect(cache.set('k', 'v', { ttl: { fortnights: 1 } as never })).rejects.toThrow(
      "Invalid cache 'ttl' {\"fortnights\":1} from plugin 'catalog': give milliseconds as a " +
        'number or a duration object such as { minutes: 5 }.',
    );
    expect(() => cache.withOptions({ defaultTtl: Number.NaN })).toThrow(
      "Invalid cache 'defaultTtl' NaN from plugin 'catalog'",
    );
  });

  it('should answer misses after the root lifecycle shut down', async () => {
    const backend = await startCacheBackend(store.config());
    const cache = await backend.forPlugin('catalog');
    await cache.set('k', 'v');

    await backend.shutdown();

    expect(await cache.get('k')).toBeUndefined();
  });
});
