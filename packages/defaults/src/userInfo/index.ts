export { userInfoServiceFactory } from './userInfoServiceFactory';
export { DefaultUserInfoService } from './DefaultUserInfoService';
