import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../../..');
const fixtures = resolve(__dirname, '__fixtures__');

/** Runs a command and reports its exit code and how long it took, killing it after `limitMs`. */
function run(command: string, args: string[], limitMs: number) {
  return new Promise<{ code: number | null; ms: number; output: string }>(done => {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: '', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', code => {
      clearTimeout(timer);
      done({ code, ms: Date.now() - started, output });
    });
  });
}

describe('stopping test backends', () => {
  it('should let a Vitest process exit by itself after a file that never stops its backends', async () => {
    const result = await run(
      process.execPath,
      [
        resolve(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        resolve(fixtures, 'vitest.fixture.config.mts'),
      ],
      60_000,
    );
    expect(result.output).toContain('1 passed');
    expect(result.output).not.toContain('close timed out');
    expect(result.code).toBe(0);
  }, 70_000);

  it('should let a node:test process exit by itself after the same file', async () => {
    const result = await run(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--test',
        resolve(fixtures, 'leftRunning.fixture.ts'),
      ],
      60_000,
    );
    expect(result.output).toMatch(/# pass 1/);
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(30_000);
  }, 70_000);
});
