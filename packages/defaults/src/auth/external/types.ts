import type { Config } from '@backplane/plugin-api';

/**
 * A kind of external access token (`backend.auth.externalAccess[].type`). `initialize` runs once
 * per configured entry with that entry's `options`; `verifyToken` returns undefined when the
 * token is not one of this entry's.
 */
export interface ExternalTokenHandler<TContext = unknown> {
  type: string;
  initialize(context: { options: Config }): TContext;
  verifyToken(
    token: string,
    context: TContext,
  ): Promise<{ subject: string; tokenClaims?: Record<string, unknown> } | undefined>;
}
