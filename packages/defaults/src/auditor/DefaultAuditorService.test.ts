import { describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { ConfigReader } from '@backplane/defaults/rootConfig';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backplane/plugin-api';
import { DefaultAuditorService } from './DefaultAuditorService';
import { readSeverityLogLevelMappings } from './readSeverityLogLevelMappings';

interface Line {
  level: string;
  message: string;
  meta: any;
}

function setup(config: object = {}) {
  const lines: Line[] = [];
  const logger: LoggerService = {
    error: (message, meta) => void lines.push({ level: 'error', message, meta }),
    warn: (message, meta) => void lines.push({ level: 'warn', message, meta }),
    info: (message, meta) => void lines.push({ level: 'info', message, meta }),
    debug: (message, meta) => void lines.push({ level: 'debug', message, meta }),
    child: () => logger,
  };
  const creds = (principal: unknown): BackstageCredentials =>
    ({ $$type: '@backstage/BackstageCredentials', principal }) as BackstageCredentials;
  const auth = {
    isPrincipal: (c: BackstageCredentials, type: string) =>
      (c.principal as { type: string }).type === type,
    getOwnServiceCredentials: async () => creds({ type: 'service', subject: 'plugin:demo' }),
  } as unknown as AuthService;
  const httpAuth = {
    credentials: async (req: express.Request) => {
      const user = req.get('x-user');
      if (user === 'broken') {
        throw Object.assign(new Error('Illegal token'), { name: 'AuthenticationError' });
      }
      return user ? creds({ type: 'user', userEntityRef: user }) : creds({ type: 'none' });
    },
  } as unknown as HttpAuthService;
  const auditor = DefaultAuditorService.create({
    pluginId: 'demo',
    logger,
    auth,
    httpAuth,
    levels: readSeverityLogLevelMappings(new ConfigReader(config)),
  });
  return { auditor, lines, creds };
}

describe('DefaultAuditorService', () => {
  it('should log an initiated and a succeeded entry with actor, plugin and request', async () => {
    const { auditor, lines } = setup();
    const app = express();
    app.post('/api/demo/items', async (req, res) => {
      const event = await auditor.createEvent({
        eventId: 'item-create',
        severityLevel: 'medium',
        request: req,
        meta: { item: 'a' },
      });
      await event.success({ meta: { id: 7 } });
      res.status(201).end();
    });
    await request(app)
      .post('/api/demo/items?x=1')
      .set('x-user', 'user:default/alice')
      .set('user-agent', 'test-agent')
      .expect(201);

    expect(lines.map(l => [l.level, l.message, l.meta.status])).toEqual([
      ['info', 'demo.item-create', 'initiated'],
      ['info', 'demo.item-create', 'succeeded'],
    ]);
    expect(lines[1].meta).toEqual({
      isAuditEvent: true,
      eventId: 'item-create',
      severityLevel: 'medium',
      plugin: 'demo',
      actor: {
        actorId: 'user:default/alice',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        hostname: '127.0.0.1',
        userAgent: 'test-agent',
      },
      request: { url: '/api/demo/items?x=1', method: 'POST' },
      meta: { item: 'a', id: 7 },
      status: 'succeeded',
    });
  });

  it('should log a failure with the error, and skip the initiated entry of low events', async () => {
    const { auditor, lines } = setup();
    const event = await auditor.createEvent({ eventId: 'fetch' });
    await event.fail({ error: new Error('disk full'), meta: { tries: 2 } });
    expect(lines).toEqual([
      {
        level: 'debug',
        message: 'demo.fetch',
        meta: {
          isAuditEvent: true,
          eventId: 'fetch',
          severityLevel: 'low',
          plugin: 'demo',
          actor: { actorId: 'plugin:demo' },
          meta: { tries: 2 },
          status: 'failed',
          error: 'Error: disk full',
        },
      },
    ]);
  });

  it('should take the actor from given credentials and map levels from config', async () => {
    const { auditor, lines, creds } = setup({
      backend: { auditor: { severityLogLevelMappings: { critical: 'error', low: 'info' } } },
    });
    const event = await auditor.createEvent({
      eventId: 'key-rotate',
      severityLevel: 'critical',
      credentials: creds({ type: 'service', subject: 'plugin:catalog' }),
    });
    await event.success();
    expect(lines.map(l => [l.level, l.meta.actor.actorId, l.meta.status])).toEqual([
      ['error', 'plugin:catalog', 'initiated'],
      ['error', 'plugin:catalog', 'succeeded'],
    ]);
  });

  it('should reject bad severities, bad config and unreadable credentials', async () => {
    const { auditor } = setup();
    await expect(
      auditor.createEvent({ eventId: 'x', severityLevel: 'urgent' as never }),
    ).rejects.toThrow(
      "Audit event 'x' of plugin 'demo' has severityLevel 'urgent'; use one of 'low', 'medium', 'high', 'critical'.",
    );
    expect(() =>
      readSeverityLogLevelMappings(
        new ConfigReader({ backend: { auditor: { severityLogLevelMappings: { high: 'loud' } } } }),
      ),
    ).toThrow(
      "Config 'backend.auditor.severityLogLevelMappings.high' must be one of 'debug', 'info', 'warn', 'error', got 'loud'.",
    );
    const req = { get: (name: string) => (name === 'x-user' ? 'broken' : undefined) };
    await expect(
      auditor.createEvent({ eventId: 'x', request: req as never }),
    ).rejects.toMatchObject({
      name: 'AuthenticationError',
      message:
        "Audit event 'x' of plugin 'demo' could not read the credentials of its request; caused by AuthenticationError: Illegal token",
    });
  });
});
