export { permissionsServiceFactory } from './permissionsServiceFactory';
export { DefaultPermissionsService } from './DefaultPermissionsService';
