import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule } from '../LintRule';
import { literalText, unwrap } from '../routeCalls';
import { stripApiPrefix } from './stripApiPrefix';

/**
 * Auth policy paths are relative to the plugin's mount point; a path containing `/api/` never
 * matches a request, so the route stays closed.
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
            message: `auth policy path '${text}' contains '/api/'; policy paths are relative to the plugin's '/api/${context.pluginId ?? '<pluginId>'}', so it never matches and the route stays closed`,
            fix: `use '${stripApiPrefix(text, context.pluginId)}'`,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

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
