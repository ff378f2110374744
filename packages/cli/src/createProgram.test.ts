import { describe, expect, it } from 'vitest';
import { createTestEnvironment } from './__fixtures__/testEnvironment';
import { runCli } from './main';

describe('backplane', () => {
  it('should list every command in --help and exit with 0', async () => {
    const env = createTestEnvironment(__dirname);

    const code = await runCli(['--help'], env);

    expect(code).toBe(0);
    expect(env.output.stdout).toContain('Usage: backplane [options] [command]');
    for (const command of [
      'new [options]',
      'start [options] [entry]',
      'test [args...]',
      'lint [dirs...]',
    ]) {
      expect(env.output.stdout).toContain(command);
    }
  });

  it.each([
    [
      'new',
      ['Usage: backplane new [options]', '--select <template>', 'Templates:', 'backend-module'],
    ],
    ['start', ['Usage: backplane start [options] [entry]', '--config <path>', '--no-watch']],
    ['test', ['Usage: backplane test [options] [args...]', 'backplane test --coverage']],
    [
      'lint',
      ['Usage: backplane lint [options] [dirs...]', 'Rules:', 'no-module-state', 'no-silent-catch'],
    ],
  ])('should show help for %s', async (command, texts) => {
    const env = createTestEnvironment(__dirname);

    const code = await runCli([command, '--help'], env);

    expect(code).toBe(0);
    for (const text of texts) {
      expect(env.output.stdout).toContain(text);
    }
  });

  it.each([
    [['bogus'], "error: unknown command 'bogus' — see 'backplane --help'\n"],
    [['new', '--bogus'], "error: unknown option '--bogus' — see 'backplane new --help'\n"],
    [
      ['start', '--config'],
      "error: option '--config <path>' argument missing — see 'backplane start --help'\n",
    ],
    [['lint', '--fix'], "error: unknown option '--fix' — see 'backplane lint --help'\n"],
    [
      ['new', 'todo'],
      "error: too many arguments for 'new'. Expected 0 arguments but got 1 — see 'backplane new --help'\n",
    ],
    [
      ['start', 'a.ts', 'b.ts'],
      "error: too many arguments for 'start'. Expected 1 argument but got 2 — see 'backplane start --help'\n",
    ],
  ])('should report the usage error %j in one line and exit with 2', async (args, message) => {
    const env = createTestEnvironment(__dirname);

    const code = await runCli(args, env);

    expect(code).toBe(2);
    expect(env.output.stderr).toBe(message);
  });
});
