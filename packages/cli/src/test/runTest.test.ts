import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTempDir,
  createTestEnvironment,
  WORKSPACE_PACKAGE_JSON,
} from '../__fixtures__/testEnvironment';
import { runCli } from '../main';
import type { RunProcess } from '../process/runProcess';
import { DEFAULT_VITEST_CONFIG, RUN_VITEST_SCRIPT } from './runTest';

const REPO_NODE_MODULES = resolve(__dirname, '..', '..', '..', '..', 'node_modules');
const VITEST = join(REPO_NODE_MODULES, 'vitest', 'vitest.mjs');

describe('backplane test', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function repo(files: Record<string, string>) {
    const temp = createTempDir({ 'package.json': WORKSPACE_PACKAGE_JSON, ...files });
    cleanups.push(temp.remove);
    symlinkSync(REPO_NODE_MODULES, join(temp.dir, 'node_modules'), 'dir');
    return temp.dir;
  }

  it("should run 'vitest run' in the package with the default config and pass flags through", async () => {
    const root = repo({ 'plugins/a-backend/package.json': '{"name":"a"}' });
    const env = createTestEnvironment(join(root, 'plugins/a-backend/src'));

    const code = await runCli(['test', '--coverage', '-t', 'should work', 'src/x'], env);

    expect(code).toBe(0);
    expect(env.processes).toEqual([
      {
        command: process.execPath,
        args: [
          RUN_VITEST_SCRIPT,
          VITEST,
          'run',
          '--config',
          DEFAULT_VITEST_CONFIG,
          '--coverage',
          '-t',
          'should work',
          'src/x',
        ],
        cwd: join(root, 'plugins/a-backend'),
        env: {},
      },
    ]);
  });

  it("should use the package's own Vitest config, or the one passed", async () => {
    const root = repo({
      'plugins/a-backend/package.json': '{"name":"a"}',
      'plugins/a-backend/vitest.config.ts': 'export default {};',
      'plugins/b-backend/package.json': '{"name":"b"}',
    });

    const own = createTestEnvironment(join(root, 'plugins/a-backend'));
    await runCli(['test'], own);
    const passed = createTestEnvironment(join(root, 'plugins/b-backend'));
    await runCli(['test', '--config', 'custom.ts'], passed);

    expect(own.processes[0].args).toEqual([RUN_VITEST_SCRIPT, VITEST, 'run']);
    expect(passed.processes[0].args).toEqual([
      RUN_VITEST_SCRIPT,
      VITEST,
      'run',
      '--config',
      'custom.ts',
    ]);
  });

  it('should say first which package it runs the tests of, and in which folder', async () => {
    const root = repo({
      'plugins/a-backend/package.json': '{"name":"@internal/plugin-a-backend"}',
    });
    const env = createTestEnvironment(join(root, 'plugins/a-backend/src'));

    await runCli(['test'], env);

    expect(env.output).toEqual({
      stdout: '',
      stderr: `Running the tests of '@internal/plugin-a-backend' in ${join(root, 'plugins/a-backend')}\n`,
    });
  });

  it('should name the repository root when run from a folder without a package.json', async () => {
    const root = repo({ 'docs/notes/.keep': '' });
    const env = createTestEnvironment(join(root, 'docs/notes'));

    await runCli(['test'], env);

    expect(env.processes.map(run => run.cwd)).toEqual([root]);
    expect(env.output.stderr).toBe(`Running the tests of 'repo' in ${root}\n`);
  });

  it('should say "the package" when its package.json has no name', async () => {
    const root = repo({ 'tools/package.json': '{}' });
    const env = createTestEnvironment(join(root, 'tools'));

    await runCli(['test'], env);

    expect(env.output.stderr).toBe(`Running the tests of the package in ${join(root, 'tools')}\n`);
  });

  it("should fail in one line when the package's package.json is not JSON", async () => {
    const root = repo({ 'tools/package.json': '{ "name": ' });
    const env = createTestEnvironment(join(root, 'tools'));

    expect(await runCli(['test'], env)).toBe(1);
    expect(env.output.stderr).toMatch(
      new RegExp(
        `^error: cannot parse '${join(root, 'tools/package.json')}': .+ — fix its JSON syntax\n$`,
      ),
    );
    expect(env.processes).toEqual([]);
  });

  it('should fail in one line outside a package', async () => {
    const temp = createTempDir();
    cleanups.push(temp.remove);
    const env = createTestEnvironment('/');

    expect(await runCli(['test'], env)).toBe(1);
    expect(env.output.stderr).toBe(
      "error: no package.json in '/' or above it — run 'backplane test' inside a package folder\n",
    );
  });

  describe('with Vitest running', () => {
    // Runs the child with its output captured, so that it does not mix with this test's output.
    const output: string[] = [];
    const captureProcess: RunProcess = async options => {
      const result = spawnSync(options.command, options.args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, NO_COLOR: '1' },
        encoding: 'utf8',
      });
      output.push(result.stdout + result.stderr);
      return result.status ?? 1;
    };

    function testRepo() {
      return repo({
        'packages/lib/package.json': JSON.stringify({
          name: '@demo/lib',
          exports: { '.': { source: './src/index.ts', default: './dist/index.js' } },
        }),
        'packages/lib/src/index.ts':
          'export const add = (a: number, b: number): number => a + b;\n',
        'plugins/calc-backend/package.json': '{"name":"@internal/plugin-calc-backend"}',
        'plugins/calc-backend/src/calc.test.ts': [
          "import { add } from '@demo/lib';",
          "import { describe, expect, it } from 'vitest';",
          "describe('add', () => {",
          "  it('should add', () => expect(add(1, 2)).toBe(3));",
          "  it('should fail on purpose', () => expect(add(1, 1)).toBe(3));",
          '});',
        ].join('\n'),
      });
    }

    it("should forward Vitest's exit code and resolve workspace packages to their sources", async () => {
      const root = testRepo();
      const env = createTestEnvironment(join(root, 'plugins/calc-backend'), {
        runProcess: captureProcess,
      });

      const failing = await runCli(['test'], env);
      const filtered = await runCli(['test', '-t', 'should add'], env);

      expect(failing).toBe(1);
      expect(output[0]).toContain('1 failed | 1 passed');
      expect(filtered).toBe(0);
      expect(output[1]).toContain('1 passed | 1 skipped');
    });

    it.each([
      ['--bogus-flag', "error: Vitest has no option '--bogus-flag'"],
      ['--bogus-flag=1', "error: Vitest has no option '--bogus-flag'"],
      ['--no-bogus', "error: Vitest has no option '--no-bogus'"],
      ['-Z', "error: Vitest has no option '-Z'"],
    ])(
      'should report the unknown option %s in one line, without a stack trace, and exit with 2',
      async (option, message) => {
        const root = testRepo();
        const env = createTestEnvironment(join(root, 'plugins/calc-backend'), {
          runProcess: captureProcess,
        });

        const code = await runCli(['test', option], env);

        expect(code).toBe(2);
        expect(output.at(-1)).toBe(
          `${message} — see Vitest's options with 'backplane test -- --help'\n`,
        );
      },
    );

    it('should measure coverage with --coverage, with the V8 provider the CLI brings', async () => {
      const root = repo({
        'plugins/calc-backend/package.json': '{"name":"@internal/plugin-calc-backend"}',
        'plugins/calc-backend/src/calc.ts': 'export const double = (n: number): number => 2 * n;\n',
        'plugins/calc-backend/src/calc.test.ts': [
          "import { expect, it } from 'vitest';",
          "import { double } from './calc';",
          "it('should double', () => expect(double(2)).toBe(4));",
        ].join('\n'),
      });
      const env = createTestEnvironment(join(root, 'plugins/calc-backend'), {
        runProcess: captureProcess,
      });

      const code = await runCli(['test', '--coverage'], env);

      expect(output.at(-1)).not.toContain('MISSING DEPENDENCY');
      expect(output.at(-1)).toContain('Coverage report from v8');
      expect(output.at(-1)).toMatch(/calc\.ts\s*\|\s*100 /);
      expect(code).toBe(0);
    });

    it('should turn on Vitest globals, so that bare describe/it and a global afterAll work', async () => {
      const root = repo({
        'plugins/calc-backend/package.json': '{"name":"@internal/plugin-calc-backend"}',
        'plugins/calc-backend/src/globals.test.ts': [
          "import { writeFileSync } from 'node:fs';",
          "afterAll(() => writeFileSync('cleaned-up', 'yes'));",
          "describe('globals', () => {",
          "  it('should be there', () => expect(typeof vi.fn).toBe('function'));",
          '});',
        ].join('\n'),
      });
      const env = createTestEnvironment(join(root, 'plugins/calc-backend'), {
        runProcess: captureProcess,
      });

      const code = await runCli(['test'], env);

      expect(output.at(-1)).toContain('1 passed');
      expect(code).toBe(0);
      expect(existsSync(join(root, 'plugins/calc-backend/cleaned-up'))).toBe(true);
    });
  });
});
