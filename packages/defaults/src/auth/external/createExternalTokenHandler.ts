import type { ExternalTokenHandler } from './types';

/**
 * Declares a custom kind of external access token. Provide it through
 * `externalTokenHandlersServiceRef` and configure entries with its `type`.
 */
export function createExternalTokenHandler<TContext>(
  handler: ExternalTokenHandler<TContext>,
): ExternalTokenHandler<TContext> {
  return handler;
}
