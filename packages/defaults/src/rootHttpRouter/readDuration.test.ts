import { describe, expect, it } from 'vitest';
import { createFakeConfig } from './__fixtures__/fakes';
import { readDurationMs } from './readDuration';

describe('readDurationMs', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['2 minutes', 120_000],
    ['1.5h', 5_400_000],
    ['PT5S', 5000],
    [{ seconds: 3 }, 3000],
    [{ minutes: 1, milliseconds: 5 }, 60_005],
  ])('should read %j', (value, ms) => {
    expect(readDurationMs(createFakeConfig({ a: { b: value } }), 'a.b', 0)).toBe(ms);
  });

  it('should return the default when the key is absent', () => {
    expect(readDurationMs(createFakeConfig({}), 'a.b', 42)).toBe(42);
  });

  it('should name the key and the accepted forms for a bad value', () => {
    const config = createFakeConfig({ backend: { lifecycle: { startupRequestPauseTimeout: 5 } } });
    expect(() => readDurationMs(config, 'backend.lifecycle.startupRequestPauseTimeout', 0)).toThrow(
      "Invalid duration 5 at config key 'backend.lifecycle.startupRequestPauseTimeout'; use an ISO duration like 'PT30S', a string like '30 seconds' or '5m', or an object like { minutes: 5 }.",
    );
    for (const value of ['5 fortnights', { secs: 5 }]) {
      expect(() => readDurationMs(createFakeConfig({ a: { b: value } }), 'a.b', 0)).toThrow(
        `Invalid duration ${JSON.stringify(value)} at config key 'a.b'`,
      );
    }
  });
});
