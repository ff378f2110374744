import type { JWK } from 'jose';

/** A public key as published in a plugin's JWKS, with the time it stops being published. */
export interface PublicKeyEntry {
  id: string;
  key: JWK & { kid: string };
  expiresAt: Date;
}

/** Where a plugin's signing keys come from. */
export interface PluginKeySource {
  /** The private key to sign new plugin tokens with; it carries `kid` and `alg`. */
  getPrivateSigningKey(): Promise<JWK & { kid: string; alg: string }>;
  /** Every public key that may have signed a token that has not expired yet. */
  listKeys(): Promise<{ keys: PublicKeyEntry[] }>;
}
