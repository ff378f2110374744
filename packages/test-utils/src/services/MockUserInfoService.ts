import { InputError } from '@backplane/plugin-api';
import type {
  BackstageCredentials,
  BackstageUserInfo,
  UserInfoService,
} from '@backplane/plugin-api';

/**
 * A UserInfoService that answers from the credentials alone: the user owns itself, plus whatever
 * `customInfo` sets (for example more `ownershipEntityRefs`).
 */
export class MockUserInfoService implements UserInfoService {
  readonly #customInfo: Partial<BackstageUserInfo>;

  constructor(customInfo: Partial<BackstageUserInfo> = {}) {
    this.#customInfo = customInfo;
  }

  async getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo> {
    const principal = credentials.principal as { type: string; userEntityRef?: string };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      throw new InputError(`User info not available for principal type '${principal.type}'`);
    }
    return {
      userEntityRef: principal.userEntityRef,
      ownershipEntityRefs: [principal.userEntityRef],
      ...this.#customInfo,
    };
  }
}
