import { Command, Option } from 'commander';
import type { CliEnvironment } from './CliEnvironment';
import { lintRuleCatalog } from './lint/lintRuleCatalog';
import { templateCatalog } from './new/templateCatalog';

export { USAGE_EXIT_CODE } from './CliError';

/**
 * Builds the `backplane` command with its subcommands. Commands report their exit code through
 * `setExitCode`; expected failures throw {@link CliError}. Each command's code (and the TypeScript
 * compiler that `new` and `lint` use) loads only when that command runs.
 */
export function createProgram(env: CliEnvironment, setExitCode: (code: number) => void): Command {
  const program = new Command('backplane')
    .description('Create, run, test and check Backplane backend plugins.')
    .showSuggestionAfterError(true)
    .helpCommand(true);
  configure(program, env);

  const templates = templateCatalog.map(
    template => `  ${template.id.padEnd(16)}${template.description}`,
  );
  const newCommand = new Command('new')
    .description('Create a backend plugin or module package under plugins/.')
    .addOption(
      new Option('--select <template>', 'the template to use, skipping the question').choices(
        templateCatalog.map(template => template.id),
      ),
    )
    .option(
      '--option <key=value>',
      'answer a question up front: pluginId, moduleId, owner, addToBackend (repeatable)',
      collect,
      [],
    )
    .option(
      '--target-dir <dir>',
      'the repository root to create plugins/ in, an existing folder (default: found from cwd)',
    )
    .option(
      '--backend <file>',
      "the backend entry file to add the package to (default: the repo's backend)",
    )
    .addHelpText(
      'after',
      [
        '',
        'Templates:',
        ...templates,
        '',
        'Examples:',
        '  backplane new',
        '  backplane new --select backend-plugin --option pluginId=example --option owner=""',
        '  backplane new --select backend-module --option pluginId=example --option moduleId=foo',
        '  backplane new --select backend-plugin --option pluginId=todo --option addToBackend=true',
      ].join('\n'),
    )
    .action(async options => {
      const { runNew } = await import('./new/runNew.js');
      await runNew(options, env);
    });
  program.addCommand(configure(newCommand, env));

  const startCommand = new Command('start')
    .description(
      'Run a backend from its TypeScript sources in development mode, ' +
        'restarting when a source or app-config file changes.',
    )
    .argument(
      '[entry]',
      "the backend's entry file " +
        '(default: examples/backend/src/index.ts or packages/backend/src/index.ts)',
    )
    .option(
      '--config <path>',
      'an app-config file to load, passed on to the backend (repeatable)',
      collect,
      [],
    )
    .option('--no-watch', 'run once, without restarting on changes')
    .action(async (entry: string | undefined, options) => {
      const { runStart } = await import('./start/runStart.js');
      setExitCode(await runStart(entry, options, env));
    });
  program.addCommand(configure(startCommand, env));

  const testCommand = new Command('test')
    .description(
      "Run the current package's tests with Vitest ('vitest run'); arguments go to Vitest.",
    )
    .argument('[args...]', 'arguments and flags for Vitest, such as --coverage or a file filter')
    .allowUnknownOption()
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  backplane test',
        '  backplane test --coverage',
        '  backplane test src/plugin.test.ts -t health',
        "  backplane test -- --help       (Vitest's own options)",
      ].join('\n'),
    )
    .action(async (args: string[]) => {
      const { runTest } = await import('./test/runTest.js');
      setExitCode(await runTest(args, env));
    });
  program.addCommand(configure(testCommand, env));

  const rules = Object.entries(lintRuleCatalog).map(([id, text]) => `  ${id.padEnd(27)}${text}`);
  const lintCommand = new Command('lint')
    .description("Check plugin packages' src/ for the common pitfalls of backend plugins.")
    .argument('[dirs...]', 'package folders to check (default: the current folder)')
    .addHelpText(
      'after',
      ['', 'Rules:', ...rules, '', 'Exits with 1 when it finds anything.'].join('\n'),
    )
    .action(async (dirs: string[]) => {
      const { runLint } = await import('./lint/runLint.js');
      setExitCode(await runLint(dirs, env));
    });
  program.addCommand(configure(lintCommand, env));

  return program;
}

// Subcommands are added with addCommand, not command(), so each keeps its own output settings.
function configure(command: Command, env: CliEnvironment): Command {
  const name = command.name() === 'backplane' ? 'backplane' : `backplane ${command.name()}`;
  return command
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: text => env.stdout(text),
      writeErr: text => env.stderr(text),
      outputError: (text, write) =>
        write(`${text.trimEnd().replace(/\.$/, '')} — see '${name} --help'\n`),
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
