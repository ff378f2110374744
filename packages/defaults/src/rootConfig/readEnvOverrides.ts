import type { JsonObject, JsonValue } from '@backplane/plugin-api';

const PREFIX = 'APP_CONFIG_';

function parseValue(raw: string): JsonValue {
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}

/**
 * Builds the config overrides given as `APP_CONFIG_<path>` environment variables, where `_`
 * separates the keys of the path: `APP_CONFIG_backend_listen_port=7017` sets
 * `backend.listen.port` to `7017`. Values are parsed as JSON when they are valid JSON, else kept
 * as strings.
 */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): JsonObject {
  const result: JsonObject = {};
  const setBy = new Map<JsonObject, Map<string, string>>();
  const names = Object.keys(env)
    .filter(name => name.startsWith(PREFIX) && env[name] !== undefined)
    .sort();

  for (const name of names) {
    const path = name.slice(PREFIX.length).split('_');
    if (path.some(part => part === '')) {
      throw new Error(
        `Invalid config override '${name}': the key path has an empty part; write keys separated by single underscores, like APP_CONFIG_backend_listen_port`,
      );
    }

    let target = result;
    for (const [index, key] of path.entries()) {
      const owners = setBy.get(target) ?? new Map<string, string>();
      setBy.set(target, owners);
      const last = index === path.length - 1;
      const existing = target[key];
      const conflict = last ? existing !== undefined : existing !== undefined && !isPlain(existing);
      if (conflict) {
        throw new Error(
          `Config overrides '${owners.get(key)}' and '${name}' conflict: one sets a value where the other needs an object; remove one of them`,
        );
      }
      if (last) {
        target[key] = parseValue(env[name] as string);
        owners.set(key, name);
      } else {
        if (existing === undefined) {
          target[key] = {};
          owners.set(key, name);
        }
        target = target[key] as JsonObject;
      }
    }
  }
  return result;
}

function isPlain(value: JsonValue): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
