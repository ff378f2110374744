import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../CliError';
import type { PackagePlan } from './planPackage';

/**
 * Writes a planned package under `repoRoot` all at once: the files go to a temporary folder next to
 * the target, which is then renamed into place. On failure nothing is left behind.
 */
export function writePackage(plan: PackagePlan, repoRoot: string): string {
  const target = join(repoRoot, plan.relativeDir);
  const parent = dirname(target);
  if (existsSync(target)) {
    throw new CliError(`the folder '${plan.relativeDir}' already exists`, {
      fix: 'choose another id, or remove that folder first',
    });
  }

  const createdParent = !existsSync(parent);
  mkdirSync(parent, { recursive: true });
  // mkdirSync rather than mkdtempSync, so that the folder gets the usual permissions.
  const staging = join(parent, `.${basename(target)}-${randomUUID().slice(0, 8)}`);
  try {
    mkdirSync(staging);
    for (const [path, content] of plan.files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    renameSync(staging, target);
  } catch (error) {
    removeQuietly(staging);
    if (createdParent) {
      removeQuietly(parent);
    }
    throw new CliError(`could not write '${plan.relativeDir}': ${(error as Error).message}`, {
      fix: `check that '${dirname(plan.relativeDir)}' is writable; nothing was written`,
      cause: error,
    });
  }
  return target;
}

/** Removes what a failed write left; a failure here must not hide the error that caused it. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Nothing more to do: the error of the write is what the user needs to see.
  }
}
