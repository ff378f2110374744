import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTempDir,
  createTestEnvironment,
  WORKSPACE_PACKAGE_JSON,
} from '../__fixtures__/testEnvironment';
import { runCli } from '../main';

const BIN = join(__dirname, '..', '..', 'bin', 'backplane.js');

describe('backplane start', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function repo(files: Record<string, string>) {
    const temp = createTempDir({ 'package.json': WORKSPACE_PACKAGE_JSON, ...files });
    cleanups.push(temp.remove);
    return temp.dir;
  }

  it('should run the example backend with tsx watch, the source condition and NODE_ENV=development', async () => {
    const root = repo({
      'examples/backend/src/index.ts': '',
      'app-config.yaml': '',
      'local.yaml': '',
    });
    const env = createTestEnvironment(join(root, 'examples/backend'), { env: { PATH: '/bin' } });

    const code = await runCli(
      ['start', '--config', '../../app-config.yaml', '--config', '../../local.yaml'],
      env,
    );

    expect(code).toBe(0);
    expect(env.processes).toHaveLength(1);
    const [run] = env.processes;
    expect(run.command).toBe(process.execPath);
    expect(run.args).toEqual([
      require.resolve('tsx/cli'),
      'watch',
      '--clear-screen=false',
      '--include',
      join(root, 'app-config.yaml'),
      '--include',
      join(root, 'local.yaml'),
      '--conditions=source',
      join(root, 'examples/backend/src/index.ts'),
      '--config',
      join(root, 'app-config.yaml'),
      '--config',
      join(root, 'local.yaml'),
    ]);
    expect(run.env).toEqual({ PATH: '/bin', NODE_ENV: 'development' });
    expect(env.output.stderr).toBe(
      'Starting the backend src/index.ts, restarting when a source or config file changes\n',
    );
  });

  it('should fall back to packages/backend, watching the default config files, and take an explicit entry', async () => {
    const root = repo({ 'packages/backend/src/index.ts': '', 'server.ts': '' });
    const env = createTestEnvironment(root);

    await runCli(['start'], env);
    await runCli(['start', '--no-watch', 'server.ts'], env);

    expect(env.processes.map(run => run.args.slice(1))).toEqual([
      [
        'watch',
        '--clear-screen=false',
        '--include',
        join(root, 'app-config.yaml'),
        '--include',
        join(root, 'app-config.local.yaml'),
        '--conditions=source',
        join(root, 'packages/backend/src/index.ts'),
      ],
      ['--conditions=source', join(root, 'server.ts')],
    ]);
  });

  it("should also watch the files the config files pull in with '$include' and '$file'", async () => {
    const root = repo({
      'packages/backend/src/index.ts': '',
      'app-config.yaml': [
        'backend:',
        '  auth: { $include: ./config/auth.yaml#backend.auth }',
        '  database: { $include: https://config.example.com/db.yaml }',
        'list: [{ $file: secrets/token.txt }]',
      ].join('\n'),
      'config/auth.yaml':
        'backend: { auth: { keys: [{ secret: { $file: ../secrets/key.txt } }] } }',
      'app-config.local.yaml': 'missing: { $include: later.yaml }\nbroken: [',
    });
    const env = createTestEnvironment(root);

    await runCli(['start'], env);

    const watched = env.processes[0].args.filter(
      (_arg, index, args) => args[index - 1] === '--include',
    );
    expect(watched).toEqual([
      join(root, 'app-config.yaml'),
      join(root, 'app-config.local.yaml'),
      join(root, 'config/auth.yaml'),
      join(root, 'secrets/key.txt'),
      join(root, 'secrets/token.txt'),
    ]);
  });

  it('should forward the exit code of the backend', async () => {
    const root = repo({ 'server.ts': '' });
    const env = createTestEnvironment(root, { runProcess: async () => 3 });

    expect(await runCli(['start', 'server.ts'], env)).toBe(3);
  });

  it.each([
    [
      [],
      "error: no backend found under '<root>': looked for 'examples/backend/src/index.ts' and 'packages/backend/src/index.ts' — pass the backend's entry file, for example 'backplane start packages/backend/src/index.ts'\n",
    ],
    [
      ['missing.ts'],
      "error: the backend entry file 'missing.ts' does not exist — pass the path of the backend's entry file, for example 'backplane start src/index.ts'\n",
    ],
    [
      ['--config', 'nope.yaml', 'server.ts'],
      "error: the config file 'nope.yaml' does not exist — pass the path of an existing app-config file, for example --config app-config.yaml\n",
    ],
  ])('should fail in one line for %j', async (args, message) => {
    const root = repo({ 'server.ts': '' });
    const env = createTestEnvironment(root);

    expect(await runCli(['start', ...args], env)).toBe(1);
    expect(env.output.stderr).toBe(message.replace('<root>', root));
    expect(env.processes).toEqual([]);
  });

  /**
   * Runs the real `backplane start` in `root`, in a process group of its own as a terminal's
   * foreground job is; `stop` signals the command alone, `interrupt` the whole group as Ctrl-C does,
   * and both resolve with its exit code.
   */
  function spawnStart(root: string, args: string[]) {
    const child = spawn(process.execPath, [BIN, 'start', ...args], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    return {
      async waitFor(text: string) {
        for (let i = 0; i < 200 && !output.includes(text); i++) {
          await new Promise(resolve => setTimeout(resolve, 50));
        }
        expect(output).toContain(text);
      },
      output: () => output,
      stop() {
        child.kill('SIGTERM');
        return exited;
      },
      interrupt() {
        process.kill(-child.pid!, 'SIGINT');
        return exited;
      },
    };
  }

  /**
   * A backend that prints its version, NODE_ENV, arguments and the contents of the config files it
   * loads: those given with --config, else app-config.yaml and app-config.local.yaml ('-' if absent).
   */
  const SERVER = [
    "import { existsSync, readFileSync, writeFileSync } from 'node:fs';",
    'const version: number = 1;',
    "writeFileSync('server.pid', String(process.pid));",
    'const args = process.argv.slice(2);',
    "const given = args.filter((_arg, index) => args[index - 1] === '--config');",
    "const files = given.length > 0 ? given : ['app-config.yaml', 'app-config.local.yaml'];",
    "const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : '-');",
    "const configs = files.map(read).join(' ');",
    "console.log(`up ${version} ${process.env.NODE_ENV} ${args.join(' ')} [${configs}]`);",
    'setInterval(() => {}, 1000);',
  ].join('\n');

  it('should run the TypeScript entry and restart it when a file changes', async () => {
    const root = repo({ 'app-config.yaml': 'a: 1', 'server.ts': SERVER });
    const cli = spawnStart(root, ['--config', 'app-config.yaml', 'server.ts']);
    const configArg = `--config ${join(root, 'app-config.yaml')}`;

    let code: number | null;
    try {
      await cli.waitFor(`up 1 development ${configArg} [a: 1]`);
      writeFileSync(
        join(root, 'server.ts'),
        readFileSync(join(root, 'server.ts'), 'utf8').replace('= 1', '= 2'),
      );
      await cli.waitFor(`up 2 development ${configArg} [a: 1]`);
    } finally {
      code = await cli.stop();
    }
    // The watcher and the backend under it both stop.
    expect(code).toBe(143);
    const backendPid = Number(readFileSync(join(root, 'server.pid'), 'utf8'));
    expect(() => process.kill(backendPid, 0)).toThrow();
  });

  it('should restart the backend when a --config file changes', async () => {
    const root = repo({ 'base.yaml': 'a: 1', 'server.ts': SERVER });
    const cli = spawnStart(root, ['--config', 'base.yaml', 'server.ts']);
    const configArg = `--config ${join(root, 'base.yaml')}`;

    try {
      await cli.waitFor(`up 1 development ${configArg} [a: 1]`);
      writeFileSync(join(root, 'base.yaml'), 'a: 2');
      await cli.waitFor(`up 1 development ${configArg} [a: 2]`);
    } finally {
      await cli.stop();
    }
  });

  it('should restart the backend when app-config.yaml changes or app-config.local.yaml appears', async () => {
    const root = repo({ 'app-config.yaml': 'a: 1', 'server.ts': SERVER });
    const cli = spawnStart(root, ['server.ts']);

    try {
      await cli.waitFor('up 1 development  [a: 1 -]');
      writeFileSync(join(root, 'app-config.yaml'), 'a: 2');
      await cli.waitFor('up 1 development  [a: 2 -]');
      writeFileSync(join(root, 'app-config.local.yaml'), 'b: 1');
      await cli.waitFor('up 1 development  [a: 2 b: 1]');
    } finally {
      await cli.stop();
    }
  });

  it("should restart the backend when a file pulled in with '$include' changes", async () => {
    const root = repo({
      'app-config.yaml': 'a: { $include: extra.yaml }',
      'extra.yaml': 'x: 1',
      'server.ts': SERVER.replace(
        'const configs = files.map(read)',
        "const configs = [...files, 'extra.yaml'].map(read)",
      ),
    });
    const cli = spawnStart(root, ['server.ts']);

    try {
      await cli.waitFor('up 1 development  [a: { $include: extra.yaml } - x: 1]');
      writeFileSync(join(root, 'extra.yaml'), 'x: 2');
      await cli.waitFor('up 1 development  [a: { $include: extra.yaml } - x: 2]');
    } finally {
      await cli.stop();
    }
  });

  /**
   * A backend that, like `registerProcessSignals`, stops once on SIGINT or SIGTERM: its shutdown
   * hook takes a second and prints a line, then the process exits with 0.
   */
  const STOPPING_SERVER = [
    "console.log('up');",
    'let stopping = false;',
    'const onSignal = (signal: string) => {',
    '  if (stopping) return;',
    '  stopping = true;',
    '  setTimeout(() => {',
    '    console.log(`stopped after ${signal}`);',
    '    process.exit(0);',
    '  }, 1000);',
    '};',
    "process.on('SIGINT', onSignal);",
    "process.on('SIGTERM', onSignal);",
    'setInterval(() => {}, 1000);',
  ].join('\n');

  it('should let the backend finish its shutdown hooks on Ctrl-C and exit with its exit code', async () => {
    const root = repo({ 'server.ts': STOPPING_SERVER });
    const cli = spawnStart(root, ['server.ts']);

    await cli.waitFor('up');
    const code = await cli.interrupt();

    expect(cli.output()).toContain('stopped after SIGINT');
    expect(cli.output()).not.toContain('Force killing');
    expect(code).toBe(0);
  });

  it('should stop the backend on SIGTERM to the command alone and exit with its exit code', async () => {
    const root = repo({ 'server.ts': STOPPING_SERVER });
    const cli = spawnStart(root, ['server.ts']);

    await cli.waitFor('up');
    const code = await cli.stop();

    expect(cli.output()).toContain('stopped after SIGTERM');
    expect(cli.output()).not.toContain('Force killing');
    expect(code).toBe(0);
  });
});
