import { coreServices, createServiceFactory } from '@backplane/plugin-api';
import type { PermissionResourceRef, PermissionsRegistryService } from '@backplane/plugin-api';
import { createPermissionIntegrationRouter } from './createPermissionIntegrationRouter';
import { PermissionIntegrationStore } from './PermissionIntegrationStore';

function assertOwnResource(ref: PermissionResourceRef, pluginId: string) {
  if (ref.pluginId !== pluginId) {
    throw new Error(
      `Resource type '${ref.resourceType}' belongs to plugin '${ref.pluginId}', but was used with plugin '${pluginId}'`,
    );
  }
}

/**
 * The default `core.permissionsRegistry`. Mounts the permission integration endpoints on the
 * plugin's router; registrations are accepted until the plugin has started.
 */
export const permissionsRegistryServiceFactory = createServiceFactory({
  service: coreServices.permissionsRegistry,
  deps: {
    lifecycle: coreServices.lifecycle,
    httpRouter: coreServices.httpRouter,
    pluginMetadata: coreServices.pluginMetadata,
  },
  async factory({ lifecycle, httpRouter, pluginMetadata }) {
    const pluginId = pluginMetadata.getId();
    const store = new PermissionIntegrationStore();
    httpRouter.use(createPermissionIntegrationRouter(store));

    let started = false;
    lifecycle.addStartupHook(() => {
      started = true;
    });
    const assertNotStarted = (what: string) => {
      if (started) {
        throw new Error(
          `Cannot add ${what} to plugin '${pluginId}' after it has started; register them in the plugin's init`,
        );
      }
    };

    const registry: PermissionsRegistryService = {
      addPermissions(permissions) {
        assertNotStarted('permissions');
        store.addPermissions(permissions);
      },
      addPermissionRules(rules) {
        assertNotStarted('permission rules');
        store.addPermissionRules(rules);
      },
      addResourceType(resource) {
        assertNotStarted('permission resource types');
        const resourceType = resource.resourceRef?.resourceType ?? resource.resourceType;
        if (!resourceType) {
          throw new Error(
            `addResourceType on plugin '${pluginId}' needs a 'resourceRef' made with createPermissionResourceRef`,
          );
        }
        if (resource.resourceRef) {
          assertOwnResource(resource.resourceRef, pluginId);
        }
        store.addResourceType({
          resourceType,
          permissions: resource.permissions,
          rules: resource.rules as never,
          getResources: resource.getResources,
        });
      },
      getPermissionRuleset(resourceRef) {
        assertOwnResource(resourceRef, pluginId);
        return {
          getRuleByName: (name: string) => store.getRule(resourceRef.resourceType, name) as never,
        };
      },
    };
    return registry;
  },
});
