import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { InputError } from '@backplane/plugin-api';
import { evaluateCriteria, parseApplyConditionsRequest } from './conditions';
import type { PermissionIntegrationStore } from './PermissionIntegrationStore';

/** Where the permission plugin finds a plugin's permission integration endpoints. */
export const PERMISSION_INTEGRATION_PATH = '/.well-known/backstage/permissions';

type AsyncHandler = (req: Request, res: Response) => Promise<void>;

function handle(fn: AsyncHandler) {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/**
 * The endpoints a permission plugin calls on every plugin: `GET …/metadata` lists the plugin's
 * permissions and rules, `POST …/apply-conditions` evaluates conditional decisions against the
 * plugin's resources. Both sit behind the plugin's default credentials check.
 */
export function createPermissionIntegrationRouter(store: PermissionIntegrationStore) {
  const router = express.Router();

  router.get(`${PERMISSION_INTEGRATION_PATH}/metadata`, (_req, res) => {
    res.json(store.getMetadata());
  });

  router.post(
    `${PERMISSION_INTEGRATION_PATH}/apply-conditions`,
    express.json({ limit: '1mb' }),
    handle(async (req, res) => {
      const items = parseApplyConditionsRequest(req.body);
      const unknownTypes = [...new Set(items.map(item => item.resourceType))].filter(
        type => !store.hasResourceType(type),
      );
      if (unknownTypes.length > 0) {
        throw new InputError(`Unexpected resource types: ${unknownTypes.join(', ')}`);
      }

      const resourcesByType = new Map<string, Map<string, unknown>>();
      for (const type of new Set(items.map(item => item.resourceType))) {
        const refs = items
          .filter(item => item.resourceType === type)
          .flatMap(item => item.resourceRef);
        resourcesByType.set(type, await store.loadResources(type, refs));
      }

      const decide = (item: (typeof items)[number], ref: string) => {
        const resource = resourcesByType.get(item.resourceType)!.get(ref);
        const allowed = evaluateCriteria(item.conditions, resource, (name, target, params) =>
          store.applyRule(item.resourceType, name, target, params),
        );
        return allowed ? 'ALLOW' : 'DENY';
      };
      res.json({
        items: items.map(item => ({
          id: item.id,
          result: Array.isArray(item.resourceRef)
            ? item.resourceRef.map(ref => decide(item, ref))
            : decide(item, item.resourceRef),
        })),
      });
    }),
  );

  return router;
}
