import type ts from 'typescript';

/** One problem `backplane lint` found. */
export interface LintFinding {
  /** The file, as given to the linter (absolute). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  ruleId: string;
  /** What is wrong, with the names involved in quotes. */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** What a rule sees while checking one file. */
export interface LintRuleContext {
  sourceFile: ts.SourceFile;
  checker: ts.TypeChecker;
  /** The folder of the package being checked. */
  packageDir: string;
  /** The id of the plugin the package belongs to, when known. */
  pluginId: string | undefined;
  /** The package's own name, when known. */
  packageName: string | undefined;
  /**
   * True when the package is a backend, where plugins are added: its `package.json` has
   * `backstage.role: 'backend'`, or one of its source files calls `createBackend()`.
   */
  isBackend: boolean;
  report(node: ts.Node, problem: { message: string; fix: string }): void;
}

/** A check of `backplane lint`. */
export interface LintRule {
  id: string;
  /** One sentence for the docs and `--help`. */
  description: string;
  check(context: LintRuleContext): void;
}
