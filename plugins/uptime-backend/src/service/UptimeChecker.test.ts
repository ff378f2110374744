import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backplane/test-utils';
import { parseAllowedHost } from '../config/parseAllowedHost';
import { HostPolicy } from './HostPolicy';
import type { SummaryCache } from './SummaryCache';
import type { TargetStore } from './TargetStore';
import type { Target } from './types';
import { UptimeChecker } from './UptimeChecker';

describe('UptimeChecker', () => {
  // A server that answers /ok with 200, /moved with a redirect to an internal address, and
  // never answers /hang.
  const server = createServer((req, res) => {
    if (req.url === '/ok') {
      res.end('fine');
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    }
  });
  let origin = '';

  beforeAll(async () => {
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(done => server.close(done));
  });

  function createChecker(options: { requestTimeoutMs?: number; allowedHosts?: string[] } = {}) {
    const allowedHosts = options.allowedHosts ?? [new URL(origin).host];
    return new UptimeChecker({
      store: {} as TargetStore,
      summaries: {} as SummaryCache,
      policy: new HostPolicy({
        allowedHosts: allowedHosts.map(h => parseAllowedHost(h, 'uptime.allowedHosts[0]')),
      }),
      logger: mockServices.logger.mock(),
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    });
  }

  const target = (path: string): Target => ({
    id: 1,
    url: `${origin}${path}`,
    name: 't',
    createdBy: 'user:default/mock',
    createdAt: new Date().toISOString(),
  });

  it('should not follow a redirect, and count it as up', async () => {
    const result = await createChecker().check(target('/moved'), new AbortController().signal);

    expect(result).toMatchObject({ status: 'up', statusCode: 302 });
  });

  it('should give up after the request timeout and record it as down', async () => {
    const started = Date.now();
    const result = await createChecker({ requestTimeoutMs: 200 }).check(
      target('/hang'),
      new AbortController().signal,
    );

    expect(result).toMatchObject({ status: 'down', error: 'No response within 200 ms' });
    expect(result?.statusCode).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should stop at once and record nothing when the task signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const result = await createChecker().check(target('/hang'), controller.signal);

    expect(result).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should record a target that is no longer allowed as down, without requesting it', async () => {
    const port = new URL(origin).port;
    const result = await createChecker({ allowedHosts: [`*:${port}`] }).check(
      target('/ok'),
      new AbortController().signal,
    );

    expect(result).toMatchObject({ status: 'down' });
    expect(result?.error).toContain("is not allowed: host '127.0.0.1' resolves to 127.0.0.1");
  });
});
