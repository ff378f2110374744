// How `backplane test` starts Vitest: `node run-vitest.mjs <vitest.mjs> run [args...]`. It runs
// that Vitest install as its own binary would, except that a command line Vitest rejects (an
// unknown option, an option without its value) ends in one `error: …` line and exit code 2,
// instead of Vitest's uncaught CACError with a stack trace. Vitest itself decides what it accepts,
// so every option of the installed version passes through.
import { pathToFileURL } from 'node:url';

const USAGE_EXIT_CODE = 2;
const HELP = "see Vitest's options with 'backplane test -- --help'";

// Vitest reads its arguments from process.argv[2...], as when its own binary runs.
process.argv.splice(1, 1);

try {
  // Vitest parses the command line while its CLI module loads, so a rejection fails the import.
  await import(pathToFileURL(process.argv[1]).href);
} catch (error) {
  if (error?.name !== 'CACError') {
    throw error;
  }
  process.stderr.write(`error: ${describeUsageError(error.message)} — ${HELP}\n`);
  process.exitCode = USAGE_EXIT_CODE;
}

/** Vitest's message in our words, naming an unknown option as the user wrote it. */
function describeUsageError(message) {
  const unknown = /^Unknown option `(.+)`$/.exec(message);
  if (unknown) {
    return `Vitest has no option '${findWrittenOption(unknown[1])}'`;
  }
  const missingValue = /^option `(.+)` value is missing$/.exec(message);
  if (missingValue) {
    return `option '${missingValue[1]}' of Vitest needs a value`;
  }
  return `Vitest refused the arguments: ${message.replace(/`/g, "'")}`;
}

/**
 * Vitest reports an unknown option camel-cased (`--bogusFlag`); find the argument the user wrote
 * (`--bogus-flag`, `--bogus-flag=1`, `--no-bogus-flag`), else keep Vitest's name.
 */
function findWrittenOption(reported) {
  const end = process.argv.indexOf('--');
  const args = end === -1 ? process.argv.slice(2) : process.argv.slice(2, end);
  const written = args
    .filter(arg => arg.startsWith('-'))
    .map(arg => arg.split('=')[0])
    .find(arg => [arg, arg.replace(/^--no-/, '--')].some(name => toCamelCase(name) === reported));
  return written ?? reported;
}

/** The camel-casing of Vitest's argument parser (cac). */
function toCamelCase(option) {
  return option.replace(/([a-z])-([a-z])/g, (_, before, after) => before + after.toUpperCase());
}
