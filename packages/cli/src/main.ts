import { CommanderError } from 'commander';
import { CliError, USAGE_EXIT_CODE } from './CliError';
import type { CliEnvironment } from './CliEnvironment';
import { createProgram } from './createProgram';
import { createInquirerPrompter } from './new/Prompter';
import { runProcess } from './process/runProcess';

/**
 * Runs the `backplane` command with `argv` (the arguments after the command name) and resolves with
 * the exit code. Expected failures print one `error: … — fix` line on stderr.
 */
export async function runCli(argv: string[], env: CliEnvironment): Promise<number> {
  let exitCode = 0;
  const program = createProgram(env, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help text already.
      return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    if (error instanceof CliError) {
      env.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') {
      env.stderr('error: cancelled — nothing was written\n');
      return 130;
    }
    env.stderr(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** The environment of the real process: its cwd, streams, terminal and child processes. */
export function createProcessEnvironment(): CliEnvironment {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    prompter: createInquirerPrompter(),
    runProcess,
    nodePath: process.execPath,
  };
}

/** The entry point of the `backplane` binary. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // A reader that goes away early, as in `backplane lint | head`, is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
  });
  process.exitCode = await runCli(argv, createProcessEnvironment());
}
