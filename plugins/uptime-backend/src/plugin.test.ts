import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import { schedulerServiceFactory } from '@backplane/defaults/scheduler';
import {
  MockSchedulerService,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backplane/test-utils';
import type { TestBackendFeature } from '@backplane/test-utils';
import { UPTIME_CHECK_TASK_ID, uptimePlugin } from './plugin';

const alice = mockCredentials.user.header('user:default/alice');

describe('uptimePlugin', () => {
  const databases = TestDatabases.create();

  // The site under watch: /ok answers 200, /fail answers 503.
  const site = createServer((req, res) => {
    res.statusCode = req.url === '/ok' ? 200 : 503;
    res.end();
  });
  let siteHost = '';
  let closedHost = '';

  beforeAll(async () => {
    await new Promise<void>(done => site.listen(0, '127.0.0.1', done));
    siteHost = `127.0.0.1:${(site.address() as AddressInfo).port}`;
    // A port nothing listens on: a server that was started and stopped.
    const closed = createServer();
    await new Promise<void>(done => closed.listen(0, '127.0.0.1', done));
    closedHost = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise(done => closed.close(done));
  });
  afterAll(async () => {
    await new Promise(done => site.close(done));
  });

  /** Starts the plugin with the given `uptime` config and a scheduler the test triggers by hand. */
  async function start(options: { uptime?: object; features?: TestBackendFeature[] } = {}) {
    const scheduler = new MockSchedulerService();
    const logger = mockServices.logger.mock();
    const { server } = await startTestBackend({
      features: [
        uptimePlugin,
        mockServices.rootConfig.factory({
          data: { uptime: options.uptime ?? { allowedHosts: [siteHost, closedHost] } },
        }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        logger.factory,
        ...(options.features ?? []),
      ],
    });
    return { server, scheduler, logger };
  }

  function auditEntries(logger: ReturnType<typeof mockServices.logger.mock>, eventId: string) {
    return logger.info.mock.calls
      .filter(([message]) => message === `uptime.${eventId}`)
      .map(([, entry]) => entry as Record<string, any>);
  }

  it('should serve /health and /badge without credentials', async () => {
    const { server } = await start();
    const none = mockCredentials.none.header();

    await request(server).get('/api/uptime/health').set('Authorization', none).expect(200, {
      status: 'ok',
    });
    const badge = await request(server).get('/api/uptime/badge/1').set('Authorization', none);
    expect(badge.status).toBe(404);
    expect(badge.body.error).toEqual({
      name: 'NotFoundError',
      message: "Target '1' does not exist in plugin 'uptime'.",
    });
    const invalid = await request(server).get('/api/uptime/badge/abc').set('Authorization', none);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toBe(
      "Target id 'abc' is not valid; use the numeric id from 'GET /targets'.",
    );
  });

  it('should list targets for users and services, and answer 401 without credentials', async () => {
    const { server } = await start();

    const denied = await request(server)
      .get('/api/uptime/targets')
      .set('Authorization', mockCredentials.none.header());
    expect(denied.status).toBe(401);
    expect(denied.body.error).toEqual({
      name: 'AuthenticationError',
      message: 'Missing credentials',
    });

    await request(server).get('/api/uptime/targets').set('Authorization', alice).expect(200, {
      targets: [],
    });
    await request(server)
      .get('/api/uptime/targets')
      .set('Authorization', mockCredentials.service.header())
      .expect(200, { targets: [] });
  });

  it('should let only users change targets: 401 without credentials, 403 for a service', async () => {
    const { server, logger } = await start();
    const body = { url: `http://${siteHost}/ok` };

    const none = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', mockCredentials.none.header())
      .send(body);
    expect(none.status).toBe(401);

    const service = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', mockCredentials.service.header())
      .send(body);
    expect(service.status).toBe(403);
    expect(service.body.error).toEqual({
      name: 'NotAllowedError',
      message: "This endpoint does not allow 'service' credentials",
    });
    const removal = await request(server)
      .delete('/api/uptime/targets/1')
      .set('Authorization', mockCredentials.service.header());
    expect(removal.status).toBe(403);

    // The refused attempt is audited with the service as the actor.
    expect(auditEntries(logger, 'target-create')).toEqual([
      expect.objectContaining({
        status: 'initiated',
        actor: expect.objectContaining({ actorId: 'external:test-service' }),
      }),
      expect.objectContaining({
        status: 'failed',
        error: "NotAllowedError: This endpoint does not allow 'service' credentials",
      }),
    ]);
  });

  it('should register uptime.target.manage with the permissions registry', async () => {
    const { server } = await start();

    const metadata = await request(server)
      .get('/api/uptime/.well-known/backstage/permissions/metadata')
      .set('Authorization', mockCredentials.service.header());

    expect(metadata.status).toBe(200);
    expect(metadata.body.permissions).toEqual([
      { type: 'basic', name: 'uptime.target.manage', attributes: {} },
    ]);
  });

  it('should answer 403 when the permission policy denies uptime.target.manage', async () => {
    const { server, logger } = await start({
      features: [mockServices.permissions.factory({ result: 'DENY' })],
    });

    const created = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: `http://${siteHost}/ok` });
    expect(created.status).toBe(403);
    expect(created.body.error).toEqual({
      name: 'NotAllowedError',
      message: "Permission 'uptime.target.manage' was denied to 'user:default/alice'.",
    });
    const deleted = await request(server)
      .delete('/api/uptime/targets/1')
      .set('Authorization', alice);
    expect(deleted.status).toBe(403);

    expect(auditEntries(logger, 'target-delete').at(-1)).toMatchObject({
      status: 'failed',
      severityLevel: 'medium',
      actor: { actorId: 'user:default/alice' },
      request: { method: 'DELETE', url: '/api/uptime/targets/1' },
      meta: { targetId: '1' },
    });
  });

  it('should still answer with the error when the auditor cannot record the failure', async () => {
    const fail = vi.fn(async () => {
      throw new Error('audit store is down');
    });
    const auditor = mockServices.auditor.mock({
      createEvent: async () => ({ success: async () => undefined, fail }),
    });
    const { server, logger } = await start({
      features: [auditor.factory, mockServices.permissions.factory({ result: 'DENY' })],
    });

    const created = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: `http://${siteHost}/ok` });
    const deleted = await request(server)
      .delete('/api/uptime/targets/1')
      .set('Authorization', alice);

    expect(created.status).toBe(403);
    expect(deleted.status).toBe(403);
    expect(fail).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith('Could not record the audit event', {
      error: expect.objectContaining({ message: 'audit store is down' }),
    });
  });

  it.each([
    [
      {},
      "Body field 'url' must be a string of 1 to 500 characters, like 'https://example.com/health'.",
    ],
    [
      { url: `https://x.example.com/${'a'.repeat(500)}` },
      "Body field 'url' must be a string of 1 to 500 characters, like 'https://example.com/health'.",
    ],
    [
      { url: 'example.com' },
      "Body field 'url' is not an absolute URL: 'example.com'. Send one like 'https://example.com/health'.",
    ],
    [
      { url: 'ftp://example.com/' },
      "Body field 'url' must use http or https, got 'ftp:'. Send one like 'https://example.com/health'.",
    ],
    [
      { url: 'javascript:alert(1)' },
      "Body field 'url' must use http or https, got 'javascript:'. Send one like 'https://example.com/health'.",
    ],
    [
      { url: 'https://bob:secret@example.com/' },
      "Body field 'url' must not contain a user name or password: targets are listed to every caller of 'GET /targets'.",
    ],
    [
      { url: 'https://example.com/', name: '' },
      "Body field 'name' must be a string of 1 to 100 characters when given.",
    ],
  ])('should refuse the body %j with a 400 naming the field', async (body, message) => {
    const { server } = await start();

    const response = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send(body);

    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ name: 'InputError', message });
  });

  it('should refuse hosts that uptime.allowedHosts does not list, and internal ones behind a wildcard', async () => {
    const { server: closed } = await start({ uptime: {} });
    const notListed = await request(closed)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: 'https://example.com/' });
    expect(notListed.status).toBe(403);
    expect(notListed.body.error.message).toBe(
      "Watching 'https://example.com/' is not allowed: no entry of 'uptime.allowedHosts' matches " +
        "'example.com'. To allow it, add 'example.com' to 'uptime.allowedHosts' in app-config.yaml.",
    );

    const { server: wildcard } = await start({ uptime: { allowedHosts: ['*'] } });
    for (const url of [
      'http://localhost/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
    ]) {
      const response = await request(wildcard)
        .post('/api/uptime/targets')
        .set('Authorization', alice)
        .send({ url });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain(
        'a loopback, private or internal address, and only the wildcard entry',
      );
    }
    const listed = await request(wildcard).get('/api/uptime/targets').set('Authorization', alice);
    expect(listed.body.targets).toEqual([]);
  });

  it('should check targets in the scheduled task and serve their status and badges', async () => {
    const { server, scheduler, logger } = await start();
    const add = (url: string, name?: string) =>
      request(server).post('/api/uptime/targets').set('Authorization', alice).send({ url, name });

    const up = await add(`http://${siteHost}/ok#top`, 'site <ok>');
    expect(up.status).toBe(201);
    expect(up.body).toEqual({
      id: 1,
      url: `http://${siteHost}/ok`,
      name: 'site <ok>',
      createdBy: 'user:default/alice',
      createdAt: expect.any(String),
      status: 'unknown',
    });
    const failing = await add(`http://${siteHost}/fail`);
    expect(failing.body).toMatchObject({ id: 2, name: siteHost, status: 'unknown' });
    const unreachable = await add(`http://${closedHost}/`);
    expect(unreachable.status).toBe(201);
    const duplicate = await add(`http://${siteHost}/ok`);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toBe(`Target 'http://${siteHost}/ok' is already watched.`);

    expect(
      auditEntries(logger, 'target-create').filter(e => e.status === 'succeeded')[0],
    ).toMatchObject({
      isAuditEvent: true,
      plugin: 'uptime',
      severityLevel: 'medium',
      actor: { actorId: 'user:default/alice' },
      request: { method: 'POST', url: '/api/uptime/targets' },
      meta: { targetId: 1, url: `http://${siteHost}/ok` },
    });

    await scheduler.triggerTask(UPTIME_CHECK_TASK_ID);

    const listed = await request(server).get('/api/uptime/targets').set('Authorization', alice);
    const [okTarget, failTarget, closedTarget] = listed.body.targets;
    expect(okTarget).toMatchObject({
      id: 1,
      status: 'up',
      uptime24h: 1,
      lastResult: { status: 'up', statusCode: 200, latencyMs: expect.any(Number) },
    });
    expect(failTarget).toMatchObject({
      id: 2,
      status: 'down',
      uptime24h: 0,
      lastResult: { status: 'down', statusCode: 503 },
    });
    expect(closedTarget).toMatchObject({ id: 3, status: 'down', lastResult: { status: 'down' } });
    expect(closedTarget.lastResult.error).toContain('ECONNREFUSED');
    expect(closedTarget.lastResult.statusCode).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith('Uptime check finished', {
      checked: 3,
      down: 2,
      aborted: false,
    });

    const badge = await request(server)
      .get('/api/uptime/badge/1')
      .set('Authorization', mockCredentials.none.header());
    expect(badge.status).toBe(200);
    expect(badge.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(badge.headers['cache-control']).toBe('public, max-age=30');
    const svg = badge.body.toString('utf8');
    expect(svg).toContain('<title>site &#60;ok&#62;: up</title>');
    expect(svg).not.toContain('<ok>');
    const downBadge = await request(server).get('/api/uptime/badge/2');
    expect(downBadge.body.toString('utf8')).toContain('>down</text>');

    await request(server).delete('/api/uptime/targets/2').set('Authorization', alice).expect(204);
    const gone = await request(server).delete('/api/uptime/targets/2').set('Authorization', alice);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe("Target '2' does not exist in plugin 'uptime'.");
    // The cached summary went with the target.
    await request(server).get('/api/uptime/badge/2').expect(404);
    expect(auditEntries(logger, 'target-delete').map(e => e.status)).toEqual([
      'initiated',
      'succeeded',
      'initiated',
      'failed',
    ]);
  });

  it('should refuse targets beyond uptime.maxTargets with a 409', async () => {
    const { server } = await start({ uptime: { allowedHosts: [siteHost], maxTargets: 1 } });

    await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: `http://${siteHost}/ok` })
      .expect(201);
    const second = await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: `http://${siteHost}/fail` });

    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe(
      "Plugin 'uptime' already watches 1 targets, the most 'uptime.maxTargets' allows; delete one or raise the limit.",
    );
  });

  it('should run the check on the schedule of uptime.schedule with the real scheduler', async () => {
    const { server } = await startTestBackend({
      features: [
        uptimePlugin,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            uptime: {
              allowedHosts: [siteHost],
              schedule: { frequency: { seconds: 1 }, timeout: { seconds: 10 } },
            },
          },
        }),
      ],
    });

    const tasks = await request(server)
      .get('/api/uptime/.backstage/scheduler/v1/tasks')
      .set('Authorization', alice);
    expect(tasks.body.tasks).toEqual([
      expect.objectContaining({
        taskId: UPTIME_CHECK_TASK_ID,
        pluginId: 'uptime',
        scope: 'global',
        settings: expect.objectContaining({ cadence: 'PT1S', timeoutAfterDuration: 'PT10S' }),
      }),
    ]);

    await request(server)
      .post('/api/uptime/targets')
      .set('Authorization', alice)
      .send({ url: `http://${siteHost}/ok` })
      .expect(201);
    // The badge reads the cache, which the task refreshes after each check.
    let svg = '';
    for (let attempt = 0; attempt < 50 && !svg.includes('>up</text>'); attempt += 1) {
      await new Promise(done => setTimeout(done, 200));
      svg = (await request(server).get('/api/uptime/badge/1')).body.toString('utf8');
    }
    expect(svg).toContain('>up</text>');
  });

  it.each(databases.eachSupportedId())(
    'should keep targets and results on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server, scheduler } = await start({
        features: [mockServices.database.factory({ knex })],
      });

      await request(server)
        .post('/api/uptime/targets')
        .set('Authorization', alice)
        .send({ url: `http://${siteHost}/ok`, name: 'ok' })
        .expect(201);
      await scheduler.triggerTask(UPTIME_CHECK_TASK_ID);

      const listed = await request(server).get('/api/uptime/targets').set('Authorization', alice);
      expect(listed.body.targets).toEqual([
        expect.objectContaining({ id: 1, name: 'ok', status: 'up', uptime24h: 1 }),
      ]);
      const [{ count }] = await knex('uptime_results').count({ count: '*' });
      expect(Number(count)).toBe(1);

      await request(server).delete('/api/uptime/targets/1').set('Authorization', alice).expect(204);
      const [{ remaining }] = await knex('uptime_results').count({ remaining: '*' });
      expect(Number(remaining)).toBe(0);
    },
  );
});
