const ID_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i;

/**
 * Checks a plugin or module id and throws a clear error when it is not valid.
 * Ids are lowercase words joined by dashes, like `catalog` or `example-backend`.
 */
export function assertValidId(kind: 'pluginId' | 'moduleId', id: unknown): asserts id is string {
  if (typeof id === 'string' && ID_PATTERN.test(id)) {
    return;
  }
  const shown = typeof id === 'string' ? `'${id}'` : String(id);
  throw new Error(
    `Invalid ${kind} ${shown}: use letters and digits, starting with a letter and joined by ` +
      `single dashes, for example 'my-plugin'.`,
  );
}

/** True when `id` is a valid plugin or module id. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}
