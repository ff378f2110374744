import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { CliError } from '../CliError';
import { readPackageJson } from '../paths/readPackageJson';
import type { LintFinding, LintRule } from './LintRule';
import { lintRules } from './lintRules';

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '__fixtures__', '__mocks__']);
const SOURCE_FILE = /\.(ts|mts|cts)$/;
const NOT_CHECKED = /(\.test|\.spec|\.d)\.(ts|mts|cts)$/;

/** The rule id of the finding for a file that the TypeScript parser cannot read. */
export const PARSE_ERROR_ID = 'parse-error';

/**
 * Checks the TypeScript sources under `<packageDir>/src` (test files and declaration files left
 * out) for the common pitfalls of backend plugins. A file that does not parse gets one
 * {@link PARSE_ERROR_ID} finding, at its first syntax error, and no rule checks it. Returns the
 * findings sorted by file and position.
 */
export function lintPackage(
  packageDir: string,
  options: {
    rules?: readonly LintRule[];
    /** How to name the folder in errors; `packageDir` unless given. */
    displayDir?: string;
  } = {},
): LintFinding[] {
  const dir = resolve(packageDir);
  const displayDir = options.displayDir ?? packageDir;
  if (!existsSync(dir)) {
    throw new CliError(`the folder '${displayDir}' does not exist`, {
      fix:
        'check the path: pass a package folder, for example ' +
        'backplane lint plugins/example-backend',
    });
  }
  if (!statSync(dir).isDirectory()) {
    throw new CliError(`'${displayDir}' is a file, not a package folder`, {
      fix: 'pass the folder of the package, for example backplane lint plugins/example-backend',
    });
  }
  const srcDir = join(dir, 'src');
  if (!existsSync(srcDir) || !statSync(srcDir).isDirectory()) {
    throw new CliError(`there is no 'src' folder in '${displayDir}'`, {
      fix:
        'run backplane lint in a plugin package folder, ' +
        'or pass one: backplane lint plugins/example-backend',
    });
  }

  const files = listSourceFiles(srcDir);
  const program = ts.createProgram({
    rootNames: files,
    options: { noResolve: true, noLib: true, types: [], allowJs: false, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const packageJson = readPackageJson(join(dir, 'package.json'));
  const sourceFiles = files
    .map(file => program.getSourceFile(file))
    .filter((file): file is ts.SourceFile => file !== undefined);
  const pluginId = packageJson?.backstage?.pluginId ?? findPluginId(sourceFiles, packageJson?.name);
  const isBackend =
    packageJson?.backstage?.role === 'backend' || sourceFiles.some(callsCreateBackend);

  const findings: LintFinding[] = [];
  for (const sourceFile of sourceFiles) {
    // The parser recovers from syntax errors with a guessed tree: the rules would report on it.
    const syntaxError = program.getSyntacticDiagnostics(sourceFile)[0];
    if (syntaxError) {
      findings.push(toParseErrorFinding(sourceFile, syntaxError));
      continue;
    }
    for (const rule of options.rules ?? lintRules) {
      rule.check({
        sourceFile,
        checker,
        packageDir: dir,
        pluginId,
        packageName: packageJson?.name,
        isBackend,
        report(node, problem) {
          const position = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
          findings.push({
            file: sourceFile.fileName,
            line: position.line + 1,
            column: position.character + 1,
            ruleId: rule.id,
            ...problem,
          });
        },
      });
    }
  }
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

function toParseErrorFinding(sourceFile: ts.SourceFile, diagnostic: ts.Diagnostic): LintFinding {
  const position = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const problem = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\.$/, '');
  return {
    file: sourceFile.fileName,
    line: position.line + 1,
    column: position.character + 1,
    ruleId: PARSE_ERROR_ID,
    message: `cannot parse the file: ${problem}; no rule checked it`,
    fix: 'fix the syntax error (tsc and your editor show it too) and lint again',
  };
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return SKIPPED_FOLDERS.has(entry.name) ? [] : listSourceFiles(path);
      }
      return SOURCE_FILE.test(entry.name) && !NOT_CHECKED.test(entry.name) ? [path] : [];
    });
}

/**
 * The `pluginId` given to createBackendPlugin or createBackendModule, else one read from the
 * package name.
 */
function findPluginId(
  sourceFiles: ts.SourceFile[],
  packageName: string | undefined,
): string | undefined {
  for (const sourceFile of sourceFiles) {
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found) {
        return;
      }
      if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'pluginId' &&
        ts.isStringLiteral(node.initializer)
      ) {
        found = node.initializer.text;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (found) {
      return found;
    }
  }
  return /plugin-(.+?)-backend/.exec(packageName ?? '')?.[1];
}

/** True when the file calls `createBackend()` or `something.createBackend()`. */
function callsCreateBackend(sourceFile: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) {
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      if (ts.isIdentifier(name) && name.text === 'createBackend') {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
