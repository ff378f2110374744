import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule, LintRuleContext } from '../LintRule';
import { literalText } from '../routeCalls';

const BACKEND_PACKAGE = /-backend(-module-[a-z0-9-]+)?$/;
const BACKEND_FOLDER = /-backend(-module-[a-z0-9-]+)?$/;

/**
 * Plugins talk to each other over HTTP or through services and extension points; importing another
 * plugin's backend package couples their code and state and breaks when they run apart. A backend
 * package is where plugins are added (`backend.add(import('…-backend'))`), so it is not checked.
 */
export const noCrossPluginImport: LintRule = {
  ...describeRule('no-cross-plugin-import'),
  check(context) {
    if (context.isBackend) {
      return;
    }
    const visit = (node: ts.Node): void => {
      const specifier = importedSpecifier(node);
      if (specifier) {
        const text = literalText(specifier);
        const target = text && otherPluginBackend(text, context);
        if (text && target) {
          context.report(specifier, {
            message: `imports '${text}', code from ${target}; plugins must not share code or memory directly`,
            fix: "call its HTTP API (discovery and auth services), or use the service refs and extension points of its '-node' package",
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

/** The module specifier of a value import, re-export, `require()` or `import()`. */
function importedSpecifier(node: ts.Node): ts.Expression | undefined {
  if (ts.isImportDeclaration(node)) {
    return isTypeOnlyImport(node) ? undefined : node.moduleSpecifier;
  }
  if (ts.isExportDeclaration(node)) {
    return node.isTypeOnly ? undefined : node.moduleSpecifier;
  }
  if (ts.isImportEqualsDeclaration(node)) {
    const reference = node.moduleReference;
    return !node.isTypeOnly && ts.isExternalModuleReference(reference)
      ? reference.expression
      : undefined;
  }
  if (ts.isCallExpression(node) && node.arguments.length === 1) {
    const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    return isDynamicImport || isRequire ? node.arguments[0] : undefined;
  }
  return undefined;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) {
    return false;
  }
  if (clause.isTypeOnly) {
    return true;
  }
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every(element => element.isTypeOnly)
  );
}

/** Describes the other plugin's backend that `specifier` points into, if it does. */
function otherPluginBackend(specifier: string, context: LintRuleContext): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(context.sourceFile.fileName), specifier);
    const fromPackage = relative(context.packageDir, target);
    if (!fromPackage.startsWith('..')) {
      return undefined;
    }
    const folder = target
      .split(sep)
      .find(
        (segment, index, segments) =>
          segments[index - 1] === 'plugins' && BACKEND_FOLDER.test(segment),
      );
    return folder ? `another plugin's backend folder 'plugins/${folder}'` : undefined;
  }
  const parts = specifier.split('/');
  const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const bareName = packageName.split('/').pop() ?? packageName;
  if (packageName === context.packageName || !BACKEND_PACKAGE.test(bareName)) {
    return undefined;
  }
  return packageName === specifier
    ? "another plugin's backend package"
    : `another plugin's backend package '${packageName}'`;
}
