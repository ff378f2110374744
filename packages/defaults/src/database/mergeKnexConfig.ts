type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Deep-merges Knex config objects from left to right: nested plain objects (such as `pool` or
 * `connection`) are merged key by key, everything else (arrays, functions, scalars) is replaced.
 * `undefined` values never override. The inputs are not modified.
 */
export function mergeKnexConfig(...configs: Array<PlainObject | undefined>): PlainObject {
  const result: PlainObject = {};
  for (const config of configs) {
    if (!config) {
      continue;
    }
    for (const [key, value] of Object.entries(config)) {
      if (value === undefined) {
        continue;
      }
      const existing = result[key];
      result[key] =
        isPlainObject(existing) && isPlainObject(value)
          ? mergeKnexConfig(existing, value)
          : isPlainObject(value)
            ? mergeKnexConfig(value)
            : value;
    }
  }
  return result;
}
