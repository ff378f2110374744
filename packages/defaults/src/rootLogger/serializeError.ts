import type { JsonObject, JsonValue } from '@backplane/plugin-api';

/** True for errors, including ones from another realm or copy of a library. */
export function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Error>;
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.name === 'string' &&
    'stack' in candidate
  );
}

function toJson(value: unknown, depth: number): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (isError(value)) return depth > 0 ? serializeError(value, depth - 1) : String(value);
  if (typeof value !== 'object') return undefined;
  if (depth <= 0) return '[Object]';
  if (Array.isArray(value)) return value.map(item => toJson(item, depth - 1) ?? null);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = toJson(item, depth - 1);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/**
 * Turns an error into plain fields for a log line: `name`, `message`, `stack`, its own
 * enumerable properties (such as `code` or `statusCode`) and its `cause`, a few levels deep.
 */
export function serializeError(error: Error, depth = 3): JsonObject {
  const out: JsonObject = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    const converted = toJson(value, depth);
    if (converted !== undefined) out[key] = converted;
  }
  if (error.cause !== undefined && out.cause === undefined) {
    const cause = toJson(error.cause, depth);
    if (cause !== undefined) out.cause = cause;
  }
  return out;
}
