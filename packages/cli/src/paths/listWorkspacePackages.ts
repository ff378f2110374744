import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageJson, type PackageJson } from './readPackageJson';

/** A package of an npm workspace. */
export interface WorkspacePackage {
  dir: string;
  packageJson: PackageJson;
}

/**
 * Lists the packages of the workspace at `root`, following its `workspaces` patterns. A `*` in a
 * pattern segment matches any folder name; other glob syntax is not supported.
 */
export function listWorkspacePackages(root: string): WorkspacePackage[] {
  const rootJson = readPackageJson(join(root, 'package.json'));
  const workspaces = rootJson?.workspaces;
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? []);

  const packages: WorkspacePackage[] = [];
  for (const pattern of patterns) {
    for (const dir of expandPattern(root, pattern.split('/').filter(Boolean))) {
      const packageJson = readPackageJson(join(dir, 'package.json'));
      if (packageJson) {
        packages.push({ dir, packageJson });
      }
    }
  }
  return packages;
}

function expandPattern(base: string, segments: string[]): string[] {
  if (segments.length === 0) {
    return [base];
  }
  const [segment, ...rest] = segments;
  if (!segment.includes('*')) {
    return isDirectory(join(base, segment)) ? expandPattern(join(base, segment), rest) : [];
  }
  const matcher = new RegExp(`^${segment.split('*').map(escapeRegExp).join('[^/]*')}$`);
  return listDirectories(base)
    .filter(name => !name.startsWith('.') && matcher.test(name))
    .flatMap(name => expandPattern(join(base, name), rest));
}

function listDirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
