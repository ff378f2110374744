import { resolve } from 'node:path';
import { isDatabaseConflictError } from '@backplane/plugin-api';
import { TestDatabases } from '@backplane/test-utils';
import { TargetStore } from './TargetStore';

const migrationsDir = resolve(__dirname, '../../migrations');

describe('TargetStore', () => {
  const databases = TestDatabases.create();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: migrationsDir });
    return new TargetStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'should store targets and results and summarise them on %s',
    async databaseId => {
      const store = await createStore(databaseId);
      const now = Date.now();

      const a = await store.create({
        url: 'https://a.example.com/',
        name: 'a',
        createdBy: 'user:default/alice',
      });
      const b = await store.create({
        url: 'https://b.example.com/',
        name: 'b',
        createdBy: 'user:default/bob',
      });
      expect(a).toEqual({
        id: expect.any(Number),
        url: 'https://a.example.com/',
        name: 'a',
        createdBy: 'user:default/alice',
        createdAt: expect.any(String),
      });
      expect(Math.abs(Date.parse(a.createdAt) - now)).toBeLessThan(5000);
      expect(await store.count()).toBe(2);
      await expect(
        store.create({
          url: 'https://a.example.com/',
          name: 'again',
          createdBy: 'user:default/bob',
        }),
      ).rejects.toSatisfy(isDatabaseConflictError);

      const at = (msAgo: number) => new Date(now - msAgo).toISOString();
      await store.addResult(a.id, {
        checkedAt: at(25 * 3600_000),
        status: 'down',
        latencyMs: 5,
        error: 'old',
      });
      await store.addResult(a.id, {
        checkedAt: at(120_000),
        status: 'down',
        latencyMs: 10_000,
        error: 'x'.repeat(600),
      });
      await store.addResult(a.id, {
        checkedAt: at(60_123),
        status: 'up',
        statusCode: 200,
        latencyMs: 42,
      });
      await store.addResult(a.id, {
        checkedAt: at(1_000),
        status: 'up',
        statusCode: 204,
        latencyMs: 7,
      });

      const summary = await store.summary(a.id, new Date(now));
      expect(summary).toEqual({
        ...a,
        lastCheckedAt: at(1_000),
        status: 'up',
        lastResult: { checkedAt: at(1_000), status: 'up', statusCode: 204, latencyMs: 7 },
        uptime24h: 2 / 3,
      });
      // The creation time must survive updates of the row (MariaDB may add ON UPDATE to timestamps).
      expect((await store.get(a.id))?.createdAt).toBe(a.createdAt);
      expect(await store.summary(b.id)).toEqual({ ...b, status: 'unknown' });

      // Never-checked targets come first, so a run cut short makes them up next time.
      expect((await store.listByLastCheck()).map(t => t.id)).toEqual([b.id, a.id]);
      expect((await store.list()).map(t => t.id)).toEqual([a.id, b.id]);

      expect(await store.pruneResults(new Date(now - 24 * 3600_000))).toBe(1);
      expect(await store.delete(a.id)).toBe(true);
      expect(await store.delete(a.id)).toBe(false);
      expect(await store.summary(a.id)).toBeUndefined();
      // A result for a deleted target is dropped, not stored.
      await store.addResult(a.id, {
        checkedAt: at(0),
        status: 'up',
        statusCode: 200,
        latencyMs: 1,
      });
      expect(await store.pruneResults(new Date(now + 3600_000))).toBe(0);
    },
  );
});
