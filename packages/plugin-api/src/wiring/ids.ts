/**
 * The ids `@backstage/backend-plugin-api` accepts, so that every plugin made for Backstage loads:
 * a letter, then letters (either case) and digits, with one `-` or `_` between words. Backstage
 * deprecates `_` and recommends lowercase words joined by dashes.
 */
const ID_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i;

const ID_RULE =
  'an id must start with a letter, hold only letters a-z (either case) and digits, and separate ' +
  `words with a single dash or underscore (the pattern ${ID_PATTERN})`;

/** Thrown for an id that breaks the id rules; `detail` is the message without the code. */
class InvalidIdError extends Error {
  readonly code = 'BACKPLANE_INVALID_ID' as const;
  readonly detail: string;

  constructor(detail: string) {
    super(`BACKPLANE_INVALID_ID: ${detail}`);
    this.name = 'InvalidIdError';
    this.detail = detail;
  }
}

/**
 * Checks a plugin or module id and throws a clear error (code `BACKPLANE_INVALID_ID`) when it is
 * not valid. Valid ids start with a letter and hold letters of either case and digits, with a
 * single dash or underscore between words: `catalog`, `example-backend`, `myPlugin`,
 * `legacy_name`. Prefer lowercase words joined by dashes. `where` says where the id came from,
 * for example `given to createBackendPlugin`.
 */
export function assertValidId(
  kind: 'pluginId' | 'moduleId',
  id: unknown,
  where?: string,
): asserts id is string {
  if (isValidId(id)) {
    return;
  }
  const shown = typeof id === 'string' ? `'${id}'` : String(id);
  const suggestion = typeof id === 'string' ? suggestId(id) : undefined;
  const example = suggestion ?? (kind === 'pluginId' ? 'my-plugin' : 'my-module');
  const what = where ? `Invalid ${kind} ${shown} ${where}` : `Invalid ${kind} ${shown}`;
  throw new InvalidIdError(`${what}: ${ID_RULE}. Use, for example, '${example}'.`);
}

/** True when `id` is a valid plugin or module id (see {@link assertValidId}). */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/**
 * Turns `My Plugin`, `MyPlugin` or `9-my--plugin` into `my-plugin`; `undefined` if nothing is left.
 */
function suggestId(id: string): string | undefined {
  const suggestion = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return ID_PATTERN.test(suggestion) ? suggestion : undefined;
}
