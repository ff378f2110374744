import type { BackstageCredentials } from './AuthService';

/** What is known about a signed-in user. */
export interface BackstageUserInfo {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** Looks up the user behind user credentials. */
export interface UserInfoService {
  getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo>;
}
