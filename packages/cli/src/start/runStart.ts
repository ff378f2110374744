import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CliError } from '../CliError';
import type { CliEnvironment } from '../CliEnvironment';
import { findPackageDir } from '../paths/findPackageDir';
import { findRepoRoot } from '../paths/findRepoRoot';
import { readPackageJson } from '../paths/readPackageJson';
import { DEFAULT_BACKEND_ENTRIES } from '../new/resolveBackendFile';
import { listIncludedFiles } from './listIncludedFiles';

/** The command-line options of `backplane start`. */
export interface StartCommandOptions {
  config: string[];
  /** False with `--no-watch`. */
  watch: boolean;
}

/** The child process `backplane start` runs. */
export interface StartPlan {
  entry: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The config files a backend loads without `--config`, from the workspace root. */
const DEFAULT_CONFIG_FILES = ['app-config.yaml', 'app-config.local.yaml'];

/**
 * Works out how `backplane start` runs a backend: tsx (in watch mode unless `watch` is false) with
 * the `source` export condition, `NODE_ENV=development`, and each `--config` passed on as an
 * absolute path after the entry file. In watch mode tsx also watches the config files the backend
 * loads: the `--config` files, else `app-config.yaml` and `app-config.local.yaml` of the workspace
 * root (also when they do not exist yet, so that creating one restarts the backend), and the
 * files those pull in with `$include` and `$file` when the command starts.
 */
export function planStart(
  entryArgument: string | undefined,
  options: StartCommandOptions,
  env: CliEnvironment,
): StartPlan {
  const entry = resolveEntry(entryArgument, env.cwd);
  const configFiles = options.config.map(config => {
    const file = resolve(env.cwd, config);
    if (!existsSync(file)) {
      throw new CliError(`the config file '${config}' does not exist`, {
        fix: 'pass the path of an existing app-config file, for example --config app-config.yaml',
      });
    }
    return file;
  });
  const configArgs = configFiles.flatMap(file => ['--config', file]);
  const watchedConfigs =
    configFiles.length > 0
      ? configFiles
      : DEFAULT_CONFIG_FILES.map(name => join(findRepoRoot(env.cwd), name));
  const tsxCli = require.resolve('tsx/cli');
  const watchArgs = options.watch
    ? [
        'watch',
        '--clear-screen=false',
        ...[...watchedConfigs, ...listIncludedFiles(watchedConfigs)].flatMap(file => [
          '--include',
          file,
        ]),
      ]
    : [];
  return {
    entry,
    command: env.nodePath,
    args: [tsxCli, ...watchArgs, '--conditions=source', entry, ...configArgs],
    env: { ...env.env, NODE_ENV: 'development' },
  };
}

/** Runs `backplane start` and resolves with the backend's exit code. */
export async function runStart(
  entryArgument: string | undefined,
  options: StartCommandOptions,
  env: CliEnvironment,
): Promise<number> {
  const plan = planStart(entryArgument, options, env);
  const how = options.watch
    ? 'restarting when a source or config file changes'
    : 'without watching files';
  env.stderr(`Starting the backend ${relative(env.cwd, plan.entry) || plan.entry}, ${how}\n`);
  return env.runProcess({ command: plan.command, args: plan.args, cwd: env.cwd, env: plan.env });
}

function resolveEntry(entryArgument: string | undefined, cwd: string): string {
  if (entryArgument) {
    const entry = resolve(cwd, entryArgument);
    if (!existsSync(entry)) {
      throw new CliError(`the backend entry file '${entryArgument}' does not exist`, {
        fix:
          "pass the path of the backend's entry file, " +
          "for example 'backplane start src/index.ts'",
      });
    }
    return entry;
  }

  // A backend package run from its own folder, then the usual backend folders of the repository.
  const packageDir = findPackageDir(cwd);
  const role = packageDir && readPackageJson(join(packageDir, 'package.json'))?.backstage?.role;
  if (packageDir && role === 'backend' && existsSync(join(packageDir, 'src', 'index.ts'))) {
    return join(packageDir, 'src', 'index.ts');
  }
  const repoRoot = findRepoRoot(cwd);
  const found = DEFAULT_BACKEND_ENTRIES.map(entry => join(repoRoot, entry)).find(file =>
    existsSync(file),
  );
  if (!found) {
    throw new CliError(
      `no backend found under '${repoRoot}': ` +
        `looked for ${DEFAULT_BACKEND_ENTRIES.map(e => `'${e}'`).join(' and ')}`,
      {
        fix:
          "pass the backend's entry file, " +
          "for example 'backplane start packages/backend/src/index.ts'",
      },
    );
  }
  return found;
}
