import type { Prompter } from './new/Prompter';
import type { RunProcess } from './process/runProcess';

/**
 * Everything the commands take from the outside world, so that tests can run them in-process:
 * the working directory, output streams, the terminal prompts and the child-process runner.
 */
export interface CliEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Writes to standard output; the text carries its own line breaks. */
  stdout(text: string): void;
  /** Writes to standard error; the text carries its own line breaks. */
  stderr(text: string): void;
  /** True when the user can answer prompts (a terminal on stdin and stdout). */
  isInteractive: boolean;
  prompter: Prompter;
  runProcess: RunProcess;
  /** The Node.js binary that child processes run with. */
  nodePath: string;
}
