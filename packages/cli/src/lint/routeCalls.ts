import ts from 'typescript';

const ROUTE_METHODS = new Set([
  'all',
  'delete',
  'get',
  'head',
  'options',
  'patch',
  'post',
  'put',
  'route',
  'use',
]);

const ROUTER_NAME = /router|routes|^app$/i;

/** A call that registers a route or middleware on an Express-style router. */
export interface RouteCall {
  call: ts.CallExpression;
  method: string;
  /** The path argument's text, when it is a literal. */
  path: string | undefined;
  pathNode: ts.Expression | undefined;
  /** The handler functions passed inline or by a name declared in the same file. */
  handlers: ts.SignatureDeclaration[];
}

/**
 * Recognises `router.get('/path', handler)` and the like: a call of an Express routing method on a
 * receiver named like a router, or with an inline handler function. Client calls such as
 * `http.get('/api/x', options)` are not routes.
 */
export function asRouteCall(node: ts.Node, checker: ts.TypeChecker): RouteCall | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) {
    return undefined;
  }
  const method = node.expression.name.text;
  if (!ROUTE_METHODS.has(method)) {
    return undefined;
  }
  const [first, ...rest] = node.arguments;
  const path = first ? literalText(first) : undefined;
  const handlerArgs = path === undefined ? node.arguments : rest;
  const handlers = handlerArgs
    .map(arg => resolveFunction(arg, checker))
    .filter((fn): fn is ts.SignatureDeclaration => fn !== undefined);
  const inlineHandler = handlerArgs.some(arg => isFunctionExpression(unwrap(arg)));
  if (!inlineHandler && !looksLikeRouter(node.expression.expression)) {
    return undefined;
  }
  return { call: node, method, path, pathNode: path === undefined ? undefined : first, handlers };
}

/** The text of a string literal, or of the literal start of a template string. */
export function literalText(node: ts.Expression): string | undefined {
  const inner = unwrap(node);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) {
    return inner.text;
  }
  if (ts.isTemplateExpression(inner)) {
    return inner.head.text;
  }
  return undefined;
}

/** True for function expressions and arrow functions. */
export function isFunctionExpression(
  node: ts.Node,
): node is ts.FunctionExpression | ts.ArrowFunction {
  return ts.isFunctionExpression(node) || ts.isArrowFunction(node);
}

/** Strips parentheses, `as`, `satisfies` and `!` around an expression. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

function resolveFunction(
  arg: ts.Expression,
  checker: ts.TypeChecker,
): ts.SignatureDeclaration | undefined {
  const inner = unwrap(arg);
  if (isFunctionExpression(inner)) {
    return inner;
  }
  if (!ts.isIdentifier(inner)) {
    return undefined;
  }
  const declaration = checker.getSymbolAtLocation(inner)?.valueDeclaration;
  if (declaration && ts.isFunctionDeclaration(declaration)) {
    return declaration;
  }
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = unwrap(declaration.initializer);
    return isFunctionExpression(initializer) ? initializer : undefined;
  }
  return undefined;
}

function looksLikeRouter(receiver: ts.Expression): boolean {
  const inner = unwrap(receiver);
  if (ts.isIdentifier(inner)) {
    return ROUTER_NAME.test(inner.text);
  }
  if (ts.isPropertyAccessExpression(inner)) {
    return ROUTER_NAME.test(inner.name.text);
  }
  // Chains such as `router.route('/x').get(...)` or `Router().get(...)`.
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(inner.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      return ROUTE_METHODS.has(callee.name.text) || ROUTER_NAME.test(callee.name.text)
        ? looksLikeRouter(callee.expression) || ROUTER_NAME.test(callee.name.text)
        : false;
    }
    return ts.isIdentifier(callee) && ROUTER_NAME.test(callee.text);
  }
  return false;
}
