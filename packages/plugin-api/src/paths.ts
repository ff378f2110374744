import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { NotAllowedError } from './errors';

/** Resolves a path inside an installed package, e.g. its `migrations` folder. */
export function resolvePackagePath(name: string, ...paths: string[]): string {
  const pkgJson = require.resolve(`${name}/package.json`, { paths: [process.cwd(), __dirname] });
  return resolve(dirname(pkgJson), ...paths);
}

/** True when `path` is `base` or inside it. */
export function isChildPath(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Resolves `path` under `base` and refuses anything that escapes it, links included. */
export function resolveSafeChildPath(base: string, path: string): string {
  const target = resolve(base, path);
  let real = target;
  try {
    real = realpathSync(target);
  } catch {
    // The target does not exist yet; check the lexical path.
  }
  if (!isChildPath(base, real) || !isChildPath(base, target)) {
    throw new NotAllowedError(
      `Relative path '${path}' is not allowed to refer to a location outside '${base}'.`,
    );
  }
  return target;
}
