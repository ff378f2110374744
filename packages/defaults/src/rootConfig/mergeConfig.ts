import type { JsonObject, JsonValue } from '@backplane/plugin-api';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `override` onto `base` and returns a new object. Objects merge key by key; arrays
 * and scalars in `override` replace what `base` has; a `null` in `override` removes the key.
 */
export function mergeConfig(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

/** Reads the value at a dotted path inside plain JSON data, or `undefined`. */
export function readPath(data: JsonValue | undefined, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = data;
  for (const part of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}
