import type { BackstagePrincipalAccessRestrictions, Config } from '@backplane/plugin-api';
import { PLUGIN_ID_PATTERN } from '../tokenTypes';

/** Access restrictions of one external access entry, by plugin id. */
export type AccessRestrictionsMap = Map<string, BackstagePrincipalAccessRestrictions>;

const ACTIONS = ['create', 'read', 'update', 'delete'] as const;

/**
 * Reads a value that may be a string or a list of strings, where each string may also hold
 * several values separated by spaces or commas. Returns undefined when absent or empty.
 */
export function readStringList<T extends string>(
  config: Config,
  key: string,
  where: string,
  allowed?: readonly T[],
): T[] | undefined {
  if (!config.has(key)) {
    return undefined;
  }
  const raw = Array.isArray(config.get(key)) ? config.getStringArray(key) : [config.getString(key)];
  const values = [...new Set(raw.flatMap(value => value.split(/[\s,]+/)).filter(Boolean))];
  if (values.length === 0) {
    return undefined;
  }
  for (const value of values) {
    if (allowed && !allowed.includes(value as T)) {
      throw new Error(
        `Invalid config '${where}.${key}': '${value}' is not one of '${allowed.join("', '")}'`,
      );
    }
  }
  return values as T[];
}

/**
 * Reads `accessRestrictions` of an external access entry at `where`. Undefined when the entry
 * has none, which means the token may call every plugin with every permission.
 */
export function readAccessRestrictions(
  entry: Config,
  where: string,
): AccessRestrictionsMap | undefined {
  const configs = entry.getOptionalConfigArray('accessRestrictions') ?? [];
  const result: AccessRestrictionsMap = new Map();

  configs.forEach((restriction, index) => {
    const at = `${where}.accessRestrictions[${index}]`;
    for (const key of restriction.keys()) {
      if (!['plugin', 'permission', 'permissionAttribute'].includes(key)) {
        throw new Error(
          `Invalid config '${at}': unknown key '${key}', expected 'plugin', 'permission' or 'permissionAttribute'`,
        );
      }
    }
    const pluginId = restriction.getString('plugin');
    if (!PLUGIN_ID_PATTERN.test(pluginId)) {
      throw new Error(`Invalid config '${at}.plugin': '${pluginId}' is not a plugin id`);
    }
    if (result.has(pluginId)) {
      throw new Error(
        `Invalid config '${at}.plugin': plugin '${pluginId}' is restricted twice in the same entry; merge the two restrictions`,
      );
    }

    const restrictions: BackstagePrincipalAccessRestrictions = {};
    const permissionNames = readStringList(restriction, 'permission', at);
    if (permissionNames) {
      restrictions.permissionNames = permissionNames;
    }
    const attribute = restriction.getOptionalConfig('permissionAttribute');
    if (attribute) {
      for (const key of attribute.keys()) {
        if (key !== 'action') {
          throw new Error(
            `Invalid config '${at}.permissionAttribute': unknown key '${key}', expected 'action'`,
          );
        }
      }
      const action = readStringList(attribute, 'action', `${at}.permissionAttribute`, ACTIONS);
      if (action) {
        restrictions.permissionAttributes = { action };
      }
    }
    result.set(pluginId, restrictions);
  });

  return result.size > 0 ? result : undefined;
}
