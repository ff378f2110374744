import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliEnvironment } from '../CliEnvironment';
import type { Prompter } from '../new/Prompter';
import type { RunProcessOptions } from '../process/runProcess';

/** A {@link CliEnvironment} for tests, with what the command printed and ran. */
export interface TestEnvironment extends CliEnvironment {
  output: { stdout: string; stderr: string };
  processes: RunProcessOptions[];
}

/** Answers prompts from a queue, failing loudly when a question was not expected. */
export function queuedPrompter(answers: Array<string | boolean>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (answers.length === 0) {
      throw new Error(`Unexpected prompt: ${message}`);
    }
    return answers.shift();
  };
  return {
    asked,
    async select(options) {
      return next(options.message) as never;
    },
    async input(options) {
      const answer = String(next(options.message));
      const problem = options.validate?.(answer);
      if (typeof problem === 'string') {
        throw new Error(`Prompt rejected '${answer}': ${problem}`);
      }
      return answer;
    },
    async confirm(options) {
      return Boolean(next(options.message));
    },
  };
}

/** Creates a test environment rooted at `cwd`; child processes are recorded, not run. */
export function createTestEnvironment(
  cwd: string,
  overrides: Partial<CliEnvironment> = {},
): TestEnvironment {
  const output = { stdout: '', stderr: '' };
  const processes: RunProcessOptions[] = [];
  return {
    cwd,
    env: {},
    stdout: text => {
      output.stdout += text;
    },
    stderr: text => {
      output.stderr += text;
    },
    isInteractive: false,
    prompter: queuedPrompter([]),
    runProcess: async options => {
      processes.push(options);
      return 0;
    },
    nodePath: process.execPath,
    ...overrides,
    output,
    processes,
  };
}

/** Makes a temporary folder with the given files; returns it and a function that removes it. */
export function createTempDir(files: Record<string, string> = {}): {
  dir: string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A repository root with npm workspaces, as `backplane new` expects. */
export const WORKSPACE_PACKAGE_JSON = JSON.stringify({
  name: 'repo',
  private: true,
  workspaces: ['packages/*', 'plugins/*', 'examples/*'],
});
