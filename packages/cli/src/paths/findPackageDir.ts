import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder of the nearest `package.json` at or above `startDir`, if any. */
export function findPackageDir(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}
