import { mockServices } from '@backplane/test-utils';
import { readUptimeConfig } from './readUptimeConfig';

function read(uptime: unknown) {
  return readUptimeConfig(mockServices.rootConfig({ data: { uptime } as any }));
}

describe('readUptimeConfig', () => {
  it('should default to a check every minute, a 30 s task timeout and no allowed hosts', () => {
    expect(readUptimeConfig(mockServices.rootConfig({ data: {} }))).toEqual({
      schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
      allowedHosts: [],
      requestTimeoutMs: 10_000,
      maxTargets: 100,
    });
  });

  it('should read the schedule, hosts, request timeout and target limit', () => {
    const config = read({
      schedule: {
        frequency: { cron: '*/5 * * * *' },
        timeout: 'PT1M',
        initialDelay: { seconds: 5 },
      },
      allowedHosts: [
        'Status.Example.com',
        'status.example.com:8080',
        '*.example.org',
        '*',
        '[::1]:9',
      ],
      requestTimeout: { seconds: 2, milliseconds: 500 },
      maxTargets: 5,
    });

    expect(config.schedule).toEqual({
      frequency: { cron: '*/5 * * * *' },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 5 },
      scope: undefined,
    });
    expect(config.allowedHosts.map(({ kind, host, port }) => ({ kind, host, port }))).toEqual([
      { kind: 'exact', host: 'status.example.com', port: '' },
      { kind: 'exact', host: 'status.example.com', port: '8080' },
      { kind: 'subdomains', host: 'example.org', port: '' },
      { kind: 'any', host: '', port: '' },
      { kind: 'exact', host: '[::1]', port: '9' },
    ]);
    expect(config.requestTimeoutMs).toBe(2500);
    expect(config.maxTargets).toBe(5);
  });

  it('should name the entry of uptime.allowedHosts that is not a host', () => {
    expect(() => read({ allowedHosts: ['ok.example.com', 'https://example.com/x'] })).toThrow(
      "Config 'uptime.allowedHosts[1]' must be a host such as 'status.example.com', " +
        `'status.example.com:8080', '*.example.com' or '*', got "https://example.com/x".`,
    );
    expect(() => read({ allowedHosts: ['a*.example.com'] })).toThrow(
      "Config 'uptime.allowedHosts[0]' must be a host",
    );
    expect(() => read({ allowedHosts: ['example.com:70000'] })).toThrow(
      "Config 'uptime.allowedHosts[0]' must be a host",
    );
    expect(() => read({ allowedHosts: 'example.com' })).toThrow(
      "Config 'uptime.allowedHosts' must be a list of hosts",
    );
  });

  it('should refuse a request timeout or target limit that is not positive', () => {
    expect(() => read({ requestTimeout: 'soon' })).toThrow(
      `Config 'uptime.requestTimeout' must be a positive number of milliseconds or a duration such as { seconds: 10 }, got "soon".`,
    );
    expect(() => read({ requestTimeout: { fortnights: 1 } })).toThrow(
      "Config 'uptime.requestTimeout' must be a positive number",
    );
    expect(() => read({ maxTargets: 0 })).toThrow(
      "Config 'uptime.maxTargets' must be a whole number of 1 or more, got 0.",
    );
  });
});
