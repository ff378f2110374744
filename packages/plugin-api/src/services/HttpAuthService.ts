import type { Request, Response } from 'express';
import type { BackstageCredentials, BackstagePrincipalTypes } from './AuthService';

/** Reads and checks the credentials of incoming requests. */
export interface HttpAuthService {
  credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request<any, any, any, any, any>,
    options?: { allow?: Array<TAllowed>; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>>;
  issueUserCookie(
    res: Response<any, any>,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }>;
}
