import type { Config, LoggerService } from '@backplane/plugin-api';

const ENTRIES_KEY = 'backend.auth.externalAccess';

/**
 * Warns once per `accessRestrictions[].plugin` of `backend.auth.externalAccess` that names a plugin
 * which is not installed. Such a restriction is harmless, since the token cannot call a plugin that
 * is not there, but it is almost always a typo (`catlog`) that leaves the token unable to reach
 * the plugin it was meant for. Malformed entries are skipped: each plugin's auth service reads and
 * rejects them with its own error.
 */
export function warnAboutUnknownRestrictedPlugins(options: {
  config: Config;
  logger: LoggerService;
  installedPluginIds: readonly string[];
}): void {
  const { config, logger, installedPluginIds } = options;
  const entries = config.getOptional(ENTRIES_KEY);
  if (!Array.isArray(entries)) {
    return;
  }
  const installed = new Set(installedPluginIds);
  const installedText =
    installedPluginIds.length > 0 ? `'${installedPluginIds.join("', '")}'` : 'none';

  entries.forEach((entry, entryIndex) => {
    const restrictions = isObject(entry) ? entry.accessRestrictions : undefined;
    if (!Array.isArray(restrictions)) {
      return;
    }
    restrictions.forEach((restriction, index) => {
      const pluginId = isObject(restriction) ? restriction.plugin : undefined;
      if (typeof pluginId !== 'string' || installed.has(pluginId)) {
        return;
      }
      const configKey = `${ENTRIES_KEY}[${entryIndex}].accessRestrictions[${index}].plugin`;
      const suggestion = closestId(pluginId, installedPluginIds);
      const didYouMean = suggestion ? ` Did you mean '${suggestion}'?` : '';
      logger.warn(
        `Config '${configKey}' restricts a token to plugin '${pluginId}', ` +
          'which is not installed, ' +
          `so this restriction grants access to nothing.${didYouMean} Installed plugins: ` +
          `${installedText}. Fix the plugin id, or remove the restriction.`,
        {
          configKey,
          restrictedPlugin: pluginId,
          installedPlugins: [...installedPluginIds],
          ...(suggestion ? { suggestion } : {}),
        },
      );
    });
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The candidate within a third of `id`'s length in edits (at least 1, at most 3), if any. */
function closestId(id: string, candidates: readonly string[]): string | undefined {
  const maxDistance = Math.min(3, Math.max(1, Math.floor(id.length / 3)));
  let best: { id: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(id.toLowerCase(), candidate.toLowerCase());
    if (distance <= maxDistance && (!best || distance < best.distance)) {
      best = { id: candidate, distance };
    }
  }
  return best?.id;
}

/** Levenshtein distance, with one row of memory. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
