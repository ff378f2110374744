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

/**
 * Usually sent to our process alone (`kill`, a process manager): the child only gets it from us.
 */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGTERM'];

/**
 * Sent by the terminal to the whole foreground process group (Ctrl-C, hang-up), so the child,
 * which shares our group, already has it. Forwarding it too would reach the child twice, and tsx
 * watch takes a second signal as "force kill" and SIGKILLs the backend during its shutdown hooks.
 * Only a repeated one is forwarded, so that a signal sent to us alone still stops the child.
 */
const GROUP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGHUP'];

/**
 * Runs a child process in our process group with the terminal attached, passes termination signals
 * on to it without doubling the ones the terminal already sent it, and resolves with its exit code
 * (128 + the signal number when a signal ended it).
 */
export const runProcess: RunProcess = options => {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: 'inherit',
    });

    const received = new Set<NodeJS.Signals>();
    const onSignal = (signal: NodeJS.Signals) => {
      const repeated = received.has(signal);
      received.add(signal);
      if (FORWARDED_SIGNALS.includes(signal) || repeated) {
        child.kill(signal);
      }
    };
    const signals = [...FORWARDED_SIGNALS, ...GROUP_SIGNALS];
    for (const signal of signals) {
      process.on(signal, onSignal);
    }
    const cleanUp = () => {
      for (const signal of signals) {
        process.off(signal, onSignal);
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
