import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule } from '../LintRule';
import { literalText, unwrap } from '../routeCalls';
import { stripApiPrefix } from './stripApiPrefix';

/**
 * Auth policy paths are relative to the plugin's mount point. The backend refuses a path that
 * repeats the plugin's own `/api/<pluginId>` when the plugin starts (addAuthPolicy throws, so the
 * plugin fails to start); any other path containing `/api/` opens a path below
 * `/api/<pluginId>/api/`, not the route that was meant, which stays closed.
 */
export const noApiPrefixAuthPolicy: LintRule = {
  ...describeRule('no-api-prefix-auth-policy'),
  check(context) {
    const visit = (node: ts.Node): void => {
      const path = authPolicyPath(node);
      if (path) {
        const text = literalText(path) ?? '';
        if (text.includes('/api/') || text === '/api') {
          context.report(path, {
            message: describeProblem(text, context.pluginId),
            fix: `use '${stripApiPrefix(text, context.pluginId)}'`,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

function describeProblem(path: string, pluginId: string | undefined): string {
  const start =
    `auth policy path '${path}' contains '/api/'; ` + 'policy paths are relative to the plugin';
  if (!pluginId) {
    return (
      `${start}'s '/api/<pluginId>': ` +
      'the backend refuses a path with that prefix when the plugin starts, ' +
      "so the plugin fails to start, and any other '/api/' path opens a path below " +
      "'/api/<pluginId>/api/' while the route it was meant for stays closed"
    );
  }
  const mount = `/api/${pluginId}`;
  if (hasPrefixSegment(path, mount)) {
    return (
      `${start}'s '${mount}', so the backend refuses it when the plugin starts: ` +
      'addAuthPolicy throws and the plugin fails to start'
    );
  }
  return (
    `${start}'s '${mount}', so it opens '${mount}${path}' ` +
    'and the route it was meant for stays closed'
  );
}

/**
 * True when `path` contains `prefix` followed by '/' or the end, ignoring case, as the runtime
 * checks.
 */
function hasPrefixSegment(path: string, prefix: string): boolean {
  const lower = path.toLowerCase();
  const at = lower.indexOf(prefix.toLowerCase());
  return at !== -1 && (lower.length === at + prefix.length || lower[at + prefix.length] === '/');
}

function authPolicyPath(node: ts.Node): ts.Expression | undefined {
  if (
    !ts.isCallExpression(node) ||
    !ts.isPropertyAccessExpression(node.expression) ||
    node.expression.name.text !== 'addAuthPolicy'
  ) {
    return undefined;
  }
  const policy = node.arguments[0] && unwrap(node.arguments[0]);
  if (!policy || !ts.isObjectLiteralExpression(policy)) {
    return undefined;
  }
  for (const property of policy.properties) {
    if (
      ts.isPropertyAssignment(property) &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
      property.name.text === 'path'
    ) {
      return property.initializer;
    }
  }
  return undefined;
}
