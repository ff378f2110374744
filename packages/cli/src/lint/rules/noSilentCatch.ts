import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule, LintRuleContext } from '../LintRule';
import { asRouteCall, type RouteCall } from '../routeCalls';

/**
 * A route handler that catches an error and neither responds, calls `next` nor rethrows leaves the
 * request open until the client gives up.
 */
export const noSilentCatch: LintRule = {
  ...describeRule('no-silent-catch'),
  check(context) {
    const seen = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      const route = asRouteCall(node, context.checker);
      for (const handler of route?.handlers ?? []) {
        if (!seen.has(handler)) {
          seen.add(handler);
          checkHandler(handler, route as RouteCall, context);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

function checkHandler(
  handler: ts.SignatureDeclaration,
  route: RouteCall,
  context: LintRuleContext,
): void {
  const body = (handler as ts.FunctionLikeDeclarationBase).body;
  if (!body) {
    return;
  }
  // Error middleware takes (error, req, res, next); other handlers (req, res, next).
  const offset = handler.parameters.length === 4 ? 1 : 0;
  const responders = [handler.parameters[offset + 1], handler.parameters[offset + 2]]
    .filter((parameter): parameter is ts.ParameterDeclaration => parameter !== undefined)
    .filter(parameter => ts.isIdentifier(parameter.name))
    .map(parameter => context.checker.getSymbolAtLocation(parameter.name))
    .filter((symbol): symbol is ts.Symbol => symbol !== undefined);

  const visit = (node: ts.Node): void => {
    if (node !== body && ts.isFunctionLike(node)) {
      return;
    }
    if (ts.isTryStatement(node) && node.catchClause) {
      if (!handlesError(node.catchClause.block, responders, context)) {
        const where =
          route.path === undefined ? route.method : `${route.method.toUpperCase()} ${route.path}`;
        context.report(node.catchClause, {
          message: `the catch block in the handler of '${where}' neither responds, calls next() nor rethrows, so the request hangs on errors`,
          fix: 'call next(error) in the catch block, or send an error response',
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}

/** True when the block throws, or uses `res` or `next` in any way (calls them or passes them on). */
function handlesError(block: ts.Block, responders: ts.Symbol[], context: LintRuleContext): boolean {
  let handled = false;
  const visit = (node: ts.Node): void => {
    if (handled) {
      return;
    }
    if (ts.isThrowStatement(node)) {
      handled = true;
      return;
    }
    if (ts.isIdentifier(node)) {
      const symbol = context.checker.getSymbolAtLocation(node);
      handled = symbol !== undefined && responders.includes(symbol);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return handled;
}
