import { AuthenticationError } from '@backplane/plugin-api';
import type { JwksFetchError } from './JwksFetchError';

/**
 * A token could not be verified because the public keys of the plugin that issued it could not be
 * fetched. Answers 401 with only the short `message`: the JWKS URL and its failure are internal to
 * this backend, so they stay in `keysError` for the warning the auth service logs.
 */
export class UnreachableKeysError extends AuthenticationError {
  /** The plugin whose keys could not be fetched: the caller, or 'auth' for user tokens. */
  readonly issuerPluginId: string;
  /** Why the keys could not be fetched, with the URL. */
  readonly keysError: JwksFetchError;

  constructor(message: string, issuerPluginId: string, keysError: JwksFetchError) {
    super(message);
    this.issuerPluginId = issuerPluginId;
    this.keysError = keysError;
  }
}
