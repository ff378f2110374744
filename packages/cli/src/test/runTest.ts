import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { CliError } from '../CliError';
import type { CliEnvironment } from '../CliEnvironment';
import { findPackageDir } from '../paths/findPackageDir';

/** The config `backplane test` gives Vitest when the package has none of its own. */
export const DEFAULT_VITEST_CONFIG = join(__dirname, `vitestConfig${extname(__filename)}`);

const OWN_CONFIG = /^(vitest|vite)\.config\.(ts|mts|cts|js|mjs|cjs)$/;

/** The child process `backplane test` runs. */
export interface TestPlan {
  packageDir: string;
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
  return { packageDir, command: env.nodePath, args: [vitest, 'run', ...configArgs, ...args] };
}

/** Runs `backplane test` and resolves with Vitest's exit code. */
export async function runTest(args: string[], env: CliEnvironment): Promise<number> {
  const plan = planTest(args, env);
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
