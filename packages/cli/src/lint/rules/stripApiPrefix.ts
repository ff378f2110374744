/**
 * Turns `/api/<pluginId>/items` (or `/api/items` when the plugin id is unknown or different) into the
 * path relative to the plugin, `/items`.
 */
export function stripApiPrefix(path: string, pluginId: string | undefined): string {
  const withPlugin = pluginId ? `/api/${pluginId}` : undefined;
  if (withPlugin && (path === withPlugin || path.startsWith(`${withPlugin}/`))) {
    return path.slice(withPlugin.length) || '/';
  }
  const index = path.indexOf('/api');
  const rest = path.slice(index + '/api'.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
