import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listLinkedPackages } from '../paths/listLinkedPackages';
import { listWorkspacePackages } from '../paths/listWorkspacePackages';

/** A Vite alias from an exact import specifier to a file. */
export interface SourceAlias {
  find: RegExp;
  replacement: string;
}

/**
 * Maps each export with a `source` condition of each local package (the workspace packages and the
 * packages `node_modules` links to local folders) to that TypeScript file, when it exists, so tests
 * run against sources without a build. Published packages, which ship no sources, are left to the
 * normal resolution.
 */
export function findSourceAliases(repoRoot: string): SourceAlias[] {
  const aliases: SourceAlias[] = [];
  const seen = new Set<string>();
  for (const { dir, packageJson } of [
    ...listWorkspacePackages(repoRoot),
    ...listLinkedPackages(repoRoot),
  ]) {
    const { name, exports } = packageJson;
    if (!name || !exports || typeof exports !== 'object' || seen.has(name)) {
      continue;
    }
    seen.add(name);
    for (const [subpath, target] of Object.entries(exports as Record<string, unknown>)) {
      const source = (target as { source?: unknown } | null)?.source;
      if (typeof source !== 'string' || !existsSync(join(dir, source))) {
        continue;
      }
      const specifier = subpath === '.' ? name : `${name}/${subpath.replace(/^\.\//, '')}`;
      aliases.push({
        find: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
        replacement: join(dir, source),
      });
    }
  }
  return aliases;
}
