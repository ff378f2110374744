import { resolve } from 'node:path';
import type { CliEnvironment } from '../CliEnvironment';
import { formatFinding } from './formatFinding';
import { lintPackage } from './lintPackage';

/**
 * Runs `backplane lint` on each folder (the current one when none is given), prints each finding on
 * its own line and resolves with the exit code: 1 when anything was found, else 0.
 */
export async function runLint(dirs: string[], env: CliEnvironment): Promise<number> {
  const targets = dirs.length > 0 ? dirs : ['.'];
  let count = 0;
  for (const target of targets) {
    const findings = lintPackage(resolve(env.cwd, target), { displayDir: target });
    for (const finding of findings) {
      env.stdout(`${formatFinding(finding, env.cwd)}\n`);
    }
    count += findings.length;
  }
  if (count > 0) {
    env.stderr(`${count} ${count === 1 ? 'problem' : 'problems'} found\n`);
    return 1;
  }
  return 0;
}
