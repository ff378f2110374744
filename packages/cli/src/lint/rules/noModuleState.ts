import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule, LintRuleContext } from '../LintRule';
import { unwrap } from '../routeCalls';

const CONTAINER_CLASSES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
const MUTATING_METHODS = new Set([
  'add',
  'clear',
  'copyWithin',
  'delete',
  'fill',
  'pop',
  'push',
  'reverse',
  'set',
  'shift',
  'sort',
  'splice',
  'unshift',
]);
const FIX =
  "keep the state in the plugin's database or cache service, or create it inside the plugin's init";

/**
 * Module-level variables hold state in one process: with two replicas behind a load balancer each
 * has its own copy, and requests see different data.
 */
export const noModuleState: LintRule = {
  ...describeRule('no-module-state'),
  check(context) {
    for (const statement of context.sourceFile.statements) {
      if (ts.isVariableStatement(statement)) {
        checkStatement(statement, context);
      }
    }
  },
};

function checkStatement(statement: ts.VariableStatement, context: LintRuleContext): void {
  const list = statement.declarationList;
  const isAmbient = ts
    .getModifiers(statement)
    ?.some(modifier => modifier.kind === ts.SyntaxKind.DeclareKeyword);
  const blockScope = list.flags & ts.NodeFlags.BlockScoped;
  if (isAmbient || blockScope === ts.NodeFlags.Using || blockScope === ts.NodeFlags.AwaitUsing) {
    return;
  }
  const isConst = blockScope === ts.NodeFlags.Const;
  const keyword = blockScope === ts.NodeFlags.Let ? 'let' : 'var';

  for (const declaration of list.declarations) {
    const name = declaration.name.getText(context.sourceFile);
    if (!isConst) {
      context.report(declaration.name, {
        message: `module-level '${keyword} ${name}' is state in one process; with two replicas each keeps its own copy`,
        fix: FIX,
      });
      continue;
    }
    const kind = declaration.initializer && containerKind(declaration.initializer);
    if (!kind || !ts.isIdentifier(declaration.name)) {
      continue;
    }
    const symbol = context.checker.getSymbolAtLocation(declaration.name);
    const mutation = symbol && findMutationInFunction(context, symbol);
    if (mutation) {
      const { line } = context.sourceFile.getLineAndCharacterOfPosition(mutation.getStart());
      context.report(declaration.name, {
        message: `module-level ${kind} '${name}' is changed inside a function (line ${line + 1}); with two replicas each keeps its own copy`,
        fix: FIX,
      });
    }
  }
}

function containerKind(initializer: ts.Expression): string | undefined {
  const inner = unwrap(initializer);
  if (ts.isArrayLiteralExpression(inner)) {
    return 'array';
  }
  if (ts.isObjectLiteralExpression(inner)) {
    return 'object';
  }
  if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression)) {
    return CONTAINER_CLASSES.has(inner.expression.text) ? inner.expression.text : undefined;
  }
  return undefined;
}

/** The first place inside a function body where the variable's contents change. */
function findMutationInFunction(context: LintRuleContext, symbol: ts.Symbol): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node, insideFunction: boolean): void => {
    if (found) {
      return;
    }
    if (
      insideFunction &&
      ts.isIdentifier(node) &&
      context.checker.getSymbolAtLocation(node) === symbol &&
      isMutation(node)
    ) {
      found = node;
      return;
    }
    const nextInside = insideFunction || ts.isFunctionLike(node);
    ts.forEachChild(node, child => visit(child, nextInside));
  };
  visit(context.sourceFile, false);
  return found;
}

/** True when the identifier is the root of a write: `x.a = 1`, `x[k]++`, `x.push()`, `delete x.a`. */
function isMutation(identifier: ts.Identifier): boolean {
  let chain: ts.Expression = identifier;
  let accesses = 0;
  while (
    (ts.isPropertyAccessExpression(chain.parent) || ts.isElementAccessExpression(chain.parent)) &&
    chain.parent.expression === chain
  ) {
    chain = chain.parent;
    accesses += 1;
  }
  const parent = chain.parent;

  if (ts.isCallExpression(parent) && parent.expression === chain && accesses > 0) {
    const callee = chain as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    return ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text);
  }
  if (ts.isCallExpression(parent) && isObjectAssign(parent) && parent.arguments[0] === chain) {
    return true;
  }
  if (accesses === 0) {
    return false;
  }
  if (ts.isBinaryExpression(parent) && parent.left === chain) {
    const operator = parent.operatorToken.kind;
    return operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return (
      parent.operator === ts.SyntaxKind.PlusPlusToken ||
      parent.operator === ts.SyntaxKind.MinusMinusToken
    );
  }
  return ts.isDeleteExpression(parent);
}

function isObjectAssign(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object' &&
    callee.name.text === 'assign'
  );
}
