import {
  fullConfigKey,
  readDurationFromConfig,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backplane/plugin-api';
import { describe, expect, it } from 'vitest';
import { ConfigReader } from './ConfigReader';
import { RootConfigReader } from './RootConfigReader';

const data = {
  backend: {
    baseUrl: 'http://localhost:7007',
    listen: { port: 7007, host: '' },
    flag: 'yes',
    portText: ' 7017 ',
    list: ['a', 'b'],
    badList: ['a', 3],
    nothing: null,
    auth: { keys: [{ secret: 's1' }, { secret: 's2' }] },
  },
};

describe('ConfigReader', () => {
  it('should read values of every type by dotted key', () => {
    const config = new ConfigReader(data);

    expect(config.getString('backend.baseUrl')).toBe('http://localhost:7007');
    expect(config.getNumber('backend.listen.port')).toBe(7007);
    expect(config.getNumber('backend.portText')).toBe(7017);
    expect(config.getBoolean('backend.flag')).toBe(true);
    expect(config.getStringArray('backend.list')).toEqual(['a', 'b']);
    expect(config.get('backend.listen')).toEqual({ port: 7007, host: '' });
    expect(config.getConfig('backend').getConfig('listen').getNumber('port')).toBe(7007);
    expect(config.getConfigArray('backend.auth.keys').map(c => c.getString('secret'))).toEqual([
      's1',
      's2',
    ]);
  });

  it('should treat absent and null keys as missing', () => {
    const config = new ConfigReader(data);

    expect(config.has('backend.baseUrl')).toBe(true);
    expect(config.has('backend.nothing')).toBe(false);
    expect(config.has('backend.nope.deeper')).toBe(false);
    expect(config.getOptionalString('backend.nothing')).toBeUndefined();
    expect(config.getOptionalConfig('missing')).toBeUndefined();
    expect(config.getOptionalConfigArray('missing')).toBeUndefined();
    expect(config.getConfig('backend').keys()).not.toContain('nothing');
  });

  it('should name the full dotted key when a required value is missing', () => {
    const config = new ConfigReader({ backend: { listen: { port: 7007 } } });

    expect(() => config.getString('backend.baseUrl')).toThrow(
      "Missing required config value at 'backend.baseUrl'; add it to app-config.yaml",
    );
    expect(() => config.getConfig('backend').getNumber('listen.host')).toThrow(
      "Missing required config value at 'backend.listen.host'",
    );
    expect(() => config.getConfig('backend.database')).toThrow(
      "Missing required config value at 'backend.database'",
    );
  });

  it('should name the key, the expected and the actual type on a type mismatch', () => {
    const config = new ConfigReader(data);

    expect(() => config.getString('backend.listen.port')).toThrow(
      "Invalid type in config for key 'backend.listen.port': expected string, got number",
    );
    expect(() => config.getNumber('backend.listen')).toThrow(
      "Invalid type in config for key 'backend.listen': expected number, got object",
    );
    expect(() => config.getStringArray('backend.badList')).toThrow(
      "Invalid type in config for key 'backend.badList[1]': expected string-array, got number",
    );
    expect(() => config.getOptionalString('backend.listen.host')).toThrow(
      "Invalid type in config for key 'backend.listen.host': expected string, got empty-string",
    );
    expect(() => config.getString('backend.baseUrl.deeper')).toThrow(
      "Invalid type in config for key 'backend.baseUrl': expected object, got string",
    );
    expect(() => config.getConfigArray('backend.auth.keys')[0].getNumber('secret')).toThrow(
      "Invalid type in config for key 'backend.auth.keys[0].secret': expected number, got string",
    );
    expect(() => config.getNumber('backend.baseUrl')).toThrow(
      "Invalid type in config for key 'backend.baseUrl': expected number, got string that is not a number",
    );
  });

  it('should reject malformed keys', () => {
    expect(() => new ConfigReader(data).getString('backend..baseUrl')).toThrow(
      "Invalid config key 'backend..baseUrl': each dot-separated part must be a non-empty name without spaces",
    );
  });

  it('should return copies that callers cannot use to change the config', () => {
    const config = new ConfigReader(data);
    const listen = config.get<{ port: number }>('backend.listen');
    listen.port = 1;

    expect(config.getNumber('backend.listen.port')).toBe(7007);
    expect(config.get<Record<string, unknown>>('backend')).not.toHaveProperty('nothing');
  });
});

describe('ConfigReader views in error messages', () => {
  const uptime = {
    uptime: {
      schedule: { frequency: 'every now and then', timeout: '1m', scope: 'cluster' },
      targets: [{ every: '5m' }, { every: 'often' }],
    },
  };

  it('should give the full key of a key read from a view', () => {
    const config = new ConfigReader(uptime);

    expect(fullConfigKey(config.getConfig('uptime.schedule'), 'frequency')).toBe(
      'uptime.schedule.frequency',
    );
    expect(fullConfigKey(config.getConfigArray('uptime.targets')[1], 'every')).toBe(
      'uptime.targets[1].every',
    );
    expect(fullConfigKey(config.getConfig('uptime'))).toBe('uptime');
    expect(fullConfigKey(config)).toBe('');
  });

  it('should let duration and schedule errors name the key as written in app-config.yaml', () => {
    const config = new ConfigReader(uptime);

    expect(() =>
      readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('uptime.schedule')),
    ).toThrow(`Invalid duration "every now and then" at config key 'uptime.schedule.frequency'`);
    expect(() =>
      readDurationFromConfig(config.getConfigArray('uptime.targets')[1], { key: 'every' }),
    ).toThrow(`Invalid duration "often" at config key 'uptime.targets[1].every'`);
    expect(() => readDurationFromConfig(config.getConfig('uptime.schedule'))).toThrow(
      `at config key 'uptime.schedule';`,
    );
  });

  it("should name the full key of a bad 'scope'", () => {
    const config = new ConfigReader({
      uptime: { schedule: { frequency: '5m', timeout: '1m', scope: 'cluster' } },
    });

    expect(() =>
      readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('uptime.schedule')),
    ).toThrow("Config key 'uptime.schedule.scope' must be 'global' or 'local', got 'cluster'.");
  });
});

describe('RootConfigReader', () => {
  it('should let views see updated data and notify subscribers only on change', () => {
    const config = new RootConfigReader({ backend: { listen: { port: 1 } } });
    const listen = config.getConfig('backend.listen');
    const calls: number[] = [];
    const subscription = config.subscribe(() =>
      calls.push(config.getNumber('backend.listen.port')),
    );

    config.update({ backend: { listen: { port: 2 } } });
    config.update({ backend: { listen: { port: 2 } } });
    subscription.unsubscribe();
    config.update({ backend: { listen: { port: 3 } } });

    expect(calls).toEqual([2]);
    expect(listen.getNumber('port')).toBe(3);
  });
});
