import ts from 'typescript';
import { describeRule } from '../lintRuleCatalog';
import type { LintRule } from '../LintRule';
import { asRouteCall } from '../routeCalls';
import { stripApiPrefix } from './stripApiPrefix';

/**
 * The backend mounts each plugin's router at `/api/<pluginId>`; a route that repeats the prefix
 * ends up at `/api/<pluginId>/api/<pluginId>/…` and answers 404 where the author expects it.
 */
export const noApiPrefixRoute: LintRule = {
  ...describeRule('no-api-prefix-route'),
  check(context) {
    const visit = (node: ts.Node): void => {
      const route = asRouteCall(node, context.checker);
      if (route?.path !== undefined && route.pathNode && /^\/api(\/|$)/.test(route.path)) {
        const mount = `/api/${context.pluginId ?? '<pluginId>'}`;
        context.report(route.pathNode, {
          message: `route '${route.path}' starts with '/api/'; the backend mounts the plugin's router at '${mount}', so it is served at '${mount}${route.path}'`,
          fix: `write the path relative to the plugin: '${stripApiPrefix(route.path, context.pluginId)}'`,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};
