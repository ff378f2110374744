import type { JsonObject } from '@backplane/plugin-api';

/** The keys the logger writes on every line itself; a field by one of these names is renamed. */
export const OWN_KEYS: ReadonlySet<string> = new Set(['level', 'timestamp', 'message']);

/**
 * Keys pino silently drops from child bindings and base fields, so they are renamed there too,
 * along with {@link OWN_KEYS}.
 */
export const BINDING_KEYS: ReadonlySet<string> = new Set([
  ...OWN_KEYS,
  'serializers',
  'formatters',
  'customLevels',
]);

/** The prefix of a field kept under another name because its own name was taken. */
export const RENAMED_PREFIX = 'fields.';

function carries(fields: JsonObject, key: string): boolean {
  return Object.hasOwn(fields, key) && fields[key] !== undefined;
}

/**
 * Fits `fields` into a line that already holds the logger's own keys (`reserved`) and the fields
 * the logger carries (`carried`), so that every key appears once and nothing is lost:
 * - a field by a reserved name, or by a carried name with another value, is kept as
 *   `fields.<name>` (prefixed again while that is taken too);
 * - a field repeating a carried field with the same value is left out, as the line has it already.
 *
 * Returns `fields` itself when nothing collides, which is the common case.
 */
export function fitFields(
  fields: JsonObject,
  carried: JsonObject,
  reserved: ReadonlySet<string> = OWN_KEYS,
): JsonObject {
  const taken = (key: string) => reserved.has(key) || carries(carried, key);
  if (!Object.keys(fields).some(taken)) return fields;

  const out: JsonObject = {};
  const renamed: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (!taken(key)) out[key] = value;
    else if (reserved.has(key) || carried[key] !== value) renamed.push(key);
  }
  for (const key of renamed) {
    let name = RENAMED_PREFIX + key;
    while (taken(name) || Object.hasOwn(out, name)) name = RENAMED_PREFIX + name;
    out[name] = fields[key];
  }
  return out;
}
