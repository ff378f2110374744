import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { unwrap, type RouteCall } from './routeCalls';

const PROMISE_ROUTER_MODULE = 'express-promise-router';

/**
 * True when a rejected async handler of this route reaches `next(error)`: the router was created by
 * `express-promise-router`, or the package runs Express 5 or later. Express 4 routers drop the
 * rejection, so the request hangs. A router the linter cannot trace counts as an Express 4 router.
 */
export function routerForwardsRejections(
  route: RouteCall,
  options: { checker: ts.TypeChecker; expressMajor: number | undefined },
): boolean {
  if (options.expressMajor !== undefined && options.expressMajor >= 5) {
    return true;
  }
  const receiver = (route.call.expression as ts.PropertyAccessExpression).expression;
  return isPromiseRouter(receiver, options.checker);
}

/** The major version of the `express` that `packageDir` resolves, when there is one. */
export function resolveExpressMajor(packageDir: string): number | undefined {
  try {
    const require = createRequire(join(packageDir, 'package.json'));
    const manifest = JSON.parse(readFileSync(require.resolve('express/package.json'), 'utf8'));
    const major = Number.parseInt(String(manifest.version), 10);
    return Number.isNaN(major) ? undefined : major;
  } catch {
    return undefined;
  }
}

function isPromiseRouter(receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  const inner = unwrap(receiver);

  // `router.route('/x').get(...)`: the router is the receiver of `route`.
  if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(unwrap(inner.expression))) {
    const callee = unwrap(inner.expression) as ts.PropertyAccessExpression;
    return callee.name.text === 'route'
      ? isPromiseRouter(callee.expression, checker)
      : createsPromiseRouter(inner, checker);
  }
  if (ts.isCallExpression(inner)) {
    return createsPromiseRouter(inner, checker);
  }
  if (!ts.isIdentifier(inner)) {
    return false;
  }
  const declaration = checker.getSymbolAtLocation(inner)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) {
    return false;
  }
  let initializer = unwrap(declaration.initializer);
  if (ts.isAwaitExpression(initializer)) {
    initializer = unwrap(initializer.expression);
  }
  return ts.isCallExpression(initializer) && createsPromiseRouter(initializer, checker);
}

/**
 * `Router()`, `PromiseRouter()`, `promiseRouter.default()` or
 * `require('express-promise-router')()`.
 */
function createsPromiseRouter(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = unwrap(call.expression);
  if (ts.isCallExpression(callee)) {
    return isRequireOf(callee, PROMISE_ROUTER_MODULE);
  }
  const root = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : callee;
  return ts.isIdentifier(root) && importedFrom(root, checker) === PROMISE_ROUTER_MODULE;
}

/** The module an identifier was imported or required from, when it was. */
function importedFrom(identifier: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const declaration = checker.getSymbolAtLocation(identifier)?.declarations?.[0];
  if (!declaration) {
    return undefined;
  }
  let node: ts.Node = declaration;
  while (!ts.isSourceFile(node)) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      return node.moduleSpecifier.text;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      return ts.isStringLiteral(expression) ? expression.text : undefined;
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const initializer = unwrap(node.initializer);
      return ts.isCallExpression(initializer) && isRequireOf(initializer)
        ? (initializer.arguments[0] as ts.StringLiteral).text
        : undefined;
    }
    node = node.parent;
  }
  return undefined;
}

function isRequireOf(call: ts.CallExpression, module?: string): boolean {
  const [argument] = call.arguments;
  return (
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    argument !== undefined &&
    ts.isStringLiteral(argument) &&
    (module === undefined || argument.text === module)
  );
}
