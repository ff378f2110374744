import type { Config, JsonValue } from '@backplane/plugin-api';
import { ConfigReader } from './ConfigReader';
import { findSchemaSecrets, readDefaultsConfigSchema } from './findSchemaSecrets';

/** Options for {@link createConfigSecretEnumerator}. */
export interface ConfigSecretEnumeratorOptions {
  /**
   * Key names whose string values are secrets wherever they appear. The default matches names
   * ending in password, secret, token, credential(s), apiKey or privateKey, in any case.
   */
  secretKeyPattern?: RegExp;
  /** Values shorter than this are never reported, so short common words stay readable in logs. */
  minLength?: number;
}

const IN_MEMORY_SQLITE = ':memory:';

const DEFAULT_SECRET_KEYS =
  /(?:password|passwd|secret|token|credentials?|api[-_]?key|private[-_]?key)$/i;

/**
 * Creates a function that lists the secret values of a configuration, for loggers to redact:
 * - every value produced by `$env` or `$file` when the config was loaded by Backplane;
 * - every string at a key that the config schema of `@backplane/defaults` marks secret, the
 *   same list devtools' `/config` hides (`backend.https.certificate.key`, connection strings
 *   of `backend.database` and `backend.cache`, …);
 * - every string under a key whose name looks secret (`backend.auth.keys[].secret`,
 *   `backend.auth.externalAccess[].options.token`, `…password`, `…clientSecret`, …);
 * - the password part of any URL with credentials (`postgres://user:pw@host/db`).
 *
 * @example
 * ```ts
 * const enumerate = createConfigSecretEnumerator();
 * rootLogger.addRedactions(enumerate(config));
 * ```
 */
export function createConfigSecretEnumerator(
  options: ConfigSecretEnumeratorOptions = {},
): (config: Config) => Iterable<string> {
  const pattern = options.secretKeyPattern ?? DEFAULT_SECRET_KEYS;
  const minLength = options.minLength ?? 4;

  return config => {
    const found = new Set<string>();
    const add = (value: string) => {
      for (const candidate of [value, value.trim()]) {
        if (candidate.length >= minLength) found.add(candidate);
      }
    };

    const data = config.getOptional();
    for (const secret of ConfigReader.secretsOf(config)) add(secret);
    for (const secret of findSchemaSecrets(readDefaultsConfigSchema(), data)) {
      // SQLite's in-memory "connection string" names no secret, and database logs mention it.
      if (secret !== IN_MEMORY_SQLITE) add(secret);
    }

    const visit = (value: JsonValue | undefined, secretKey: boolean) => {
      if (typeof value === 'string') {
        if (secretKey) add(value);
        const password = urlPassword(value);
        if (password) add(password);
      } else if (Array.isArray(value)) {
        for (const item of value) visit(item, secretKey);
      } else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) visit(item, pattern.test(key));
      }
    };
    visit(data, false);
    return found;
  };
}

function urlPassword(value: string): string | undefined {
  if (!value.includes('://') || !value.includes('@')) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
