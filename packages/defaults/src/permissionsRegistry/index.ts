export { permissionsRegistryServiceFactory } from './permissionsRegistryServiceFactory';
export {
  createPermissionIntegrationRouter,
  PERMISSION_INTEGRATION_PATH,
} from './createPermissionIntegrationRouter';
export { PermissionIntegrationStore } from './PermissionIntegrationStore';
