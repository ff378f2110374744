import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** What to run. */
export interface RunProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Runs a child process and resolves with its exit code; how `start` and `test` run their tools. */
export type RunProcess = (options: RunProcessOptions) => Promise<number>;

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a child process with the terminal attached, forwards termination signals to it, and resolves
 * with its exit code (128 + the signal number when a signal ended it).
 */
export const runProcess: RunProcess = options => {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: 'inherit',
    });

    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) {
      process.on(signal, forward);
    }
    const cleanUp = () => {
      for (const signal of FORWARDED_SIGNALS) {
        process.off(signal, forward);
      }
    };

    child.once('error', error => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      if (signal) {
        resolve(128 + (constants.signals[signal] ?? 0));
      } else {
        resolve(code ?? 1);
      }
    });
  });
};
