import { dirname, join, resolve } from 'node:path';
import { readPackageJson } from './readPackageJson';

/**
 * The repository root seen from `startDir`: the nearest ancestor folder whose `package.json` declares
 * `workspaces`, else `startDir` itself.
 */
export function findRepoRoot(startDir: string): string {
  const start = resolve(startDir);
  let dir = start;
  for (;;) {
    if (readPackageJson(join(dir, 'package.json'))?.workspaces) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return start;
    }
    dir = parent;
  }
}
