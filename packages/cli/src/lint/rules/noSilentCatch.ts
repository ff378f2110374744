import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule, LintRuleContext } from '../LintRule';
import { asRouteCall, literalText, unwrap, type RouteCall } from '../routeCalls';
import { resolveExpressMajor, routerForwardsRejections } from '../routerForwardsRejections';

const PROMISE_ROUTER_FIX = 'or create the router with express-promise-router';

/**
 * Route handlers that leave the request open when something fails: a catch block that neither
 * responds nor calls `next`, and, on Express 4 routers (which do not pass an async handler's
 * rejection to `next`), an async handler whose `throw` or `await` is outside any try/catch,
 * such as a catch block that rethrows.
 */
export const noSilentCatch: LintRule = {
  ...describeRule('no-silent-catch'),
  check(context) {
    const expressMajor = resolveExpressMajor(context.packageDir);
    const seen = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      const route = asRouteCall(node, context.checker);
      for (const handler of route?.handlers ?? []) {
        if (!seen.has(handler)) {
          seen.add(handler);
          const forwards = routerForwardsRejections(route as RouteCall, {
            checker: context.checker,
            expressMajor,
          });
          checkHandler(handler, { route: route as RouteCall, forwards, context });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

interface HandlerCheck {
  route: RouteCall;
  /** True when a rejection of this handler reaches `next(error)`. */
  forwards: boolean;
  context: LintRuleContext;
}

/** Where an unguarded `throw` or `await` is: the handler's body, or one of its catch blocks. */
type Region = ts.CatchClause | 'body';

function checkHandler(handler: ts.SignatureDeclaration, check: HandlerCheck): void {
  const body = (handler as ts.FunctionLikeDeclarationBase).body;
  if (!body) {
    return;
  }
  const { route, context } = check;
  const where = describeRoute(route);
  const modifiers = ts.canHaveModifiers(handler) ? ts.getModifiers(handler) : undefined;
  const isAsync = modifiers?.some(modifier => modifier.kind === ts.SyntaxKind.AsyncKeyword);
  const rejectionsHang = isAsync === true && !check.forwards;

  // Error middleware takes (error, req, res, next); other handlers (req, res, next).
  const offset = handler.parameters.length === 4 ? 1 : 0;
  const responders = [handler.parameters[offset + 1], handler.parameters[offset + 2]]
    .filter((parameter): parameter is ts.ParameterDeclaration => parameter !== undefined)
    .filter(parameter => ts.isIdentifier(parameter.name))
    .map(parameter => context.checker.getSymbolAtLocation(parameter.name))
    .filter((symbol): symbol is ts.Symbol => symbol !== undefined);

  const reported = new Set<Region>();
  const reportEscape = (node: ts.Node, region: Region) => {
    if (reported.has(region)) {
      return;
    }
    reported.add(region);
    context.report(node, describeEscape(node, region, where));
  };

  // `guarded`: inside the try block of a try statement with a catch clause, in this handler.
  const visit = (node: ts.Node, guarded: boolean, region: Region): void => {
    if (node !== body && ts.isFunctionLike(node)) {
      return;
    }
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, guarded || node.catchClause !== undefined, region);
      if (node.catchClause) {
        if (!handlesError(node.catchClause.block, responders, context)) {
          const answer = rejectionsHang ? 'neither responds nor calls next()' : SILENT_ANSWER;
          context.report(node.catchClause, {
            message:
              `the catch block in the handler of '${where}' ${answer}, ` +
              'so the request hangs on errors',
            fix: 'call next(error) in the catch block, or send an error response',
          });
        }
        visit(node.catchClause.block, guarded, node.catchClause);
      }
      if (node.finallyBlock) {
        visit(node.finallyBlock, guarded, region);
      }
      return;
    }
    if (rejectionsHang && !guarded && isEscapePoint(node)) {
      reportEscape(node, region);
    }
    ts.forEachChild(node, child => visit(child, guarded, region));
  };
  visit(body, false, 'body');
}

/**
 * `GET /items`, also for `router.route('/items').get(…)`; the bare method when the path is not
 * literal.
 */
function describeRoute(route: RouteCall): string {
  const receiver = unwrap((route.call.expression as ts.PropertyAccessExpression).expression);
  const chained =
    ts.isCallExpression(receiver) &&
    ts.isPropertyAccessExpression(receiver.expression) &&
    receiver.expression.name.text === 'route' &&
    receiver.arguments[0] !== undefined
      ? literalText(receiver.arguments[0])
      : undefined;
  const path = route.path ?? chained;
  return path === undefined ? route.method : `${route.method.toUpperCase()} ${path}`;
}

const SILENT_ANSWER = 'neither responds, calls next() nor rethrows';
const NOT_FORWARDED = "Express 4 does not pass an async handler's rejection to next()";

/**
 * A point where an async handler can reject: a `throw`, a `for await` loop, or an `await` of
 * anything but a promise whose rejection is handled on the spot (`.catch(fn)`, `.then(a, fn)`).
 */
function isEscapePoint(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) {
    return !handlesRejection(unwrap(node.expression));
  }
  return (
    ts.isThrowStatement(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)
  );
}

function handlesRejection(awaited: ts.Expression): boolean {
  if (!ts.isCallExpression(awaited) || !ts.isPropertyAccessExpression(awaited.expression)) {
    return false;
  }
  const method = awaited.expression.name.text;
  return (
    (method === 'catch' && awaited.arguments.length >= 1) ||
    (method === 'then' && awaited.arguments.length >= 2)
  );
}

function describeEscape(
  node: ts.Node,
  region: Region,
  where: string,
): { message: string; fix: string } {
  const throws = ts.isThrowStatement(node);
  const outcome = throws ? 'the request hangs' : 'the request hangs if that await rejects';
  if (region === 'body') {
    return {
      message:
        `the async handler of '${where}' ${throws ? 'throws' : 'awaits'} outside any try/catch; ` +
        `${NOT_FORWARDED}, so ${outcome}`,
      fix:
        "wrap the handler's body in try { … } catch (error) { next(error); }, " +
        `${PROMISE_ROUTER_FIX}`,
    };
  }
  if (throws) {
    return {
      message:
        `the catch block in the handler of '${where}' rethrows; ` +
        `${NOT_FORWARDED}, so ${outcome}`,
      fix: `call next(error) in the catch block instead of throwing, ${PROMISE_ROUTER_FIX}`,
    };
  }
  return {
    message:
      `the catch block in the handler of '${where}' awaits outside any try/catch; ` +
      `${NOT_FORWARDED}, so ${outcome}`,
    fix: `give that await its own try/catch so that next(error) still runs, ${PROMISE_ROUTER_FIX}`,
  };
}

/**
 * True when the block throws, or uses `res` or `next` in any way (calls them or passes them on).
 */
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
