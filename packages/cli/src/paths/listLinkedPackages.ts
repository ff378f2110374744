import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { readPackageJson } from './readPackageJson';
import type { WorkspacePackage } from './listWorkspacePackages';

/**
 * Lists the packages that `<root>/node_modules` links to local folders (symlinks whose target is not
 * inside a `node_modules` folder), as npm does for workspace packages.
 */
export function listLinkedPackages(root: string): WorkspacePackage[] {
  const nodeModules = join(root, 'node_modules');
  const entries = listEntries(nodeModules).flatMap(name =>
    name.startsWith('@')
      ? listEntries(join(nodeModules, name)).map(inner => `${name}/${inner}`)
      : [name],
  );

  const packages: WorkspacePackage[] = [];
  for (const name of entries) {
    const link = join(nodeModules, name);
    if (!isSymlink(link)) {
      continue;
    }
    const dir = realpath(link);
    if (!dir || dir.split(sep).includes('node_modules')) {
      continue;
    }
    const packageJson = readPackageJson(join(dir, 'package.json'));
    if (packageJson) {
      packages.push({ dir, packageJson });
    }
  }
  return packages;
}

function listEntries(dir: string): string[] {
  try {
    return readdirSync(dir).filter(name => !name.startsWith('.'));
  } catch {
    return [];
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
