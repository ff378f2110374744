export { httpAuthServiceFactory } from './httpAuthServiceFactory';
export {
  DefaultHttpAuthService,
  BACKSTAGE_AUTH_COOKIE,
  getBearerToken,
} from './DefaultHttpAuthService';
