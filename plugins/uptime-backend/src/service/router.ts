import express from 'express';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  isDatabaseConflictError,
} from '@backplane/plugin-api';
import type {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backplane/plugin-api';
import { uptimeTargetManagePermission } from '../permissions';
import type { HostPolicy } from './HostPolicy';
import { readTargetInput } from './readTargetInput';
import { renderBadge } from './renderBadge';
import type { SummaryCache } from './SummaryCache';
import type { TargetStore } from './TargetStore';
import type { TargetSummary } from './types';

/** What the router needs, injected by the plugin. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: TargetStore;
  summaries: SummaryCache;
  policy: HostPolicy;
  /** The most targets the plugin watches (`uptime.maxTargets`). */
  maxTargets: number;
}

/** Reads the `:id` route parameter; anything but a positive whole number is an `InputError`. */
function readId(raw: string): number {
  const id = Number(raw);
  if (!/^[1-9]\d{0,9}$/.test(raw) || !Number.isSafeInteger(id)) {
    throw new InputError(
      `Target id '${raw}' is not valid; use the numeric id from 'GET /targets'.`,
    );
  }
  return id;
}

/**
 * Builds the plugin's Express router; paths are relative to `/api/uptime`. `/health` and
 * `/badge/:id` are opened by the plugin with auth policies; everything else needs credentials.
 */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, httpAuth, permissions, auditor, store, summaries, policy, maxTargets } = options;
  const router = express.Router();

  /** Throws `NotAllowedError` unless the user's credentials may change the list of targets. */
  const authorizeManage = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize([{ permission: uptimeTargetManagePermission }], {
      credentials,
    });
    if (decision.result !== 'ALLOW') {
      throw new NotAllowedError(
        `Permission '${uptimeTargetManagePermission.name}' was denied to '${credentials.principal.userEntityRef}'.`,
      );
    }
    return credentials;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/targets', async (req, res, next) => {
    try {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
      const targets = await store.list();
      const loaded = await Promise.all(targets.map(target => summaries.get(target.id)));
      // A target deleted between the two reads has no summary.
      res.json({ targets: loaded.filter((s): s is TargetSummary => s !== undefined) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/targets', express.json({ limit: '4kb' }), async (req, res, next) => {
    let event: AuditorServiceEvent | undefined;
    try {
      event = await auditor.createEvent({
        eventId: 'target-create',
        severityLevel: 'medium',
        request: req,
      });
      const credentials = await authorizeManage(req);
      const input = readTargetInput(req.body);
      await policy.assertAllowed(input.url);
      if ((await store.count()) >= maxTargets) {
        throw new ConflictError(
          `Plugin 'uptime' already watches ${maxTargets} targets, the most 'uptime.maxTargets' allows; delete one or raise the limit.`,
        );
      }

      let created;
      try {
        created = await store.create({
          url: input.url.href,
          name: input.name,
          createdBy: credentials.principal.userEntityRef,
        });
      } catch (error) {
        // No cause: the unique-constraint error would show the SQL statement to the caller.
        if (isDatabaseConflictError(error)) {
          throw new ConflictError(`Target '${input.url.href}' is already watched.`);
        }
        throw error;
      }

      await event.success({ meta: { targetId: created.id, url: created.url } });
      logger.info('Uptime target created', { targetId: created.id, url: created.url });
      res.status(201).json(await summaries.refresh(created.id));
    } catch (error) {
      // A failing auditor is logged; it must not keep the error from reaching the caller.
      await event
        ?.fail({ error: error as Error })
        .catch(auditError =>
          logger.warn('Could not record the audit event', { error: auditError }),
        );
      next(error);
    }
  });

  router.delete('/targets/:id', async (req, res, next) => {
    let event: AuditorServiceEvent | undefined;
    try {
      event = await auditor.createEvent({
        eventId: 'target-delete',
        severityLevel: 'medium',
        request: req,
        meta: { targetId: req.params.id },
      });
      await authorizeManage(req);
      const id = readId(req.params.id);
      if (!(await store.delete(id))) {
        throw new NotFoundError(`Target '${id}' does not exist in plugin 'uptime'.`);
      }
      await summaries.forget(id);

      await event.success();
      logger.info('Uptime target deleted', { targetId: id });
      res.status(204).end();
    } catch (error) {
      // A failing auditor is logged; it must not keep the error from reaching the caller.
      await event
        ?.fail({ error: error as Error })
        .catch(auditError =>
          logger.warn('Could not record the audit event', { error: auditError }),
        );
      next(error);
    }
  });

  router.get('/badge/:id', async (req, res, next) => {
    try {
      const id = readId(req.params.id);
      const summary = await summaries.get(id);
      if (!summary) {
        throw new NotFoundError(`Target '${id}' does not exist in plugin 'uptime'.`);
      }
      res
        .status(200)
        .set({
          'content-type': 'image/svg+xml; charset=utf-8',
          'cache-control': 'public, max-age=30',
          // The badge is a picture: nothing in it may run if it is opened on its own.
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'x-content-type-options': 'nosniff',
        })
        .send(renderBadge(summary));
    } catch (error) {
      next(error);
    }
  });

  return router;
}
