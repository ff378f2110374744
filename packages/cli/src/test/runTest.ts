import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { CliError } from '../CliError';
import type { CliEnvironment } from '../CliEnvironment';
import { findPackageDir } from '../paths/findPackageDir';
import { readPackageJson } from '../paths/readPackageJson';

/**
 * The script that starts Vitest, in the package's `bin/` folder both in the sources and when
 * installed: it turns Vitest's rejection of the command line into one error line.
 */
export const RUN_VITEST_SCRIPT = join(__dirname, '..', '..', 'bin', 'run-vitest.mjs');

/** The config `backplane test` gives Vitest when the package has none of its own. */
export const DEFAULT_VITEST_CONFIG = join(__dirname, `vitestConfig${extname(__filename)}`);

const OWN_CONFIG = /^(vitest|vite)\.config\.(ts|mts|cts|js|mjs|cjs)$/;

/** The child process `backplane test` runs. */
export interface TestPlan {
  packageDir: string;
  /** The `name` in the package's `package.json`, when it has one. */
  packageName: string | undefined;
  command: string;
  args: string[];
}

/**
 * Works out how `backplane test` runs the tests of the package around `env.cwd`: `vitest run` with
 * the given arguments, using the package's own Vitest config if it has one, else the CLI's default
 * config (tests in `src/**\/*.test.ts`, workspace packages resolved to their TypeScript sources).
 */
export function planTest(args: string[], env: CliEnvironment): TestPlan {
  const packageDir = findPackageDir(env.cwd);
  if (!packageDir) {
    throw new CliError(`no package.json in '${env.cwd}' or above it`, {
      fix: "run 'backplane test' inside a package folder",
    });
  }
  const vitest = resolveVitest(packageDir);
  const hasOwnConfig = readdirSync(packageDir).some(name => OWN_CONFIG.test(name));
  const passesConfig = args.some(
    arg => arg === '--config' || arg.startsWith('--config=') || arg === '-c',
  );
  const configArgs = hasOwnConfig || passesConfig ? [] : ['--config', DEFAULT_VITEST_CONFIG];
  return {
    packageDir,
    packageName: readPackageJson(join(packageDir, 'package.json'))?.name,
    command: env.nodePath,
    args: [RUN_VITEST_SCRIPT, vitest, 'run', ...configArgs, ...args],
  };
}

/**
 * Runs `backplane test` and resolves with Vitest's exit code. It first says on stderr which
 * package it runs, since from a folder without a `package.json` that is a package further up (in a
 * monorepo, perhaps the root with every test of the repository).
 */
export async function runTest(args: string[], env: CliEnvironment): Promise<number> {
  const plan = planTest(args, env);
  const name = plan.packageName ? `'${plan.packageName}'` : 'the package';
  env.stderr(`Running the tests of ${name} in ${plan.packageDir}\n`);
  return env.runProcess({
    command: plan.command,
    args: plan.args,
    cwd: plan.packageDir,
    env: env.env,
  });
}

function resolveVitest(packageDir: string): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('vitest/package.json', { paths: [packageDir, __dirname] });
  } catch (error) {
    throw new CliError(`cannot find Vitest from '${packageDir}'`, {
      fix: 'add it to the package: npm install --save-dev vitest',
      cause: error,
    });
  }
  const bin = join(dirname(packageJson), 'vitest.mjs');
  if (!existsSync(bin)) {
    throw new CliError(`the Vitest install at '${dirname(packageJson)}' has no vitest.mjs`, {
      fix: 'reinstall it: npm install --save-dev vitest',
    });
  }
  return bin;
}
