/** The id and one-sentence description of each rule, for `--help` and the rule objects. */
export const lintRuleCatalog = {
  'no-module-state':
    'module-level `let`/`var`, and module-level Map, Set, array or object constants changed inside functions',
  'no-api-prefix-route': "routes whose path starts with '/api/', which the backend adds itself",
  'no-api-prefix-auth-policy':
    "addAuthPolicy paths that contain '/api/': the backend refuses the plugin's own prefix at startup, and any other opens the wrong path",
  'no-cross-plugin-import':
    "imports of another plugin's backend package or folder (type-only imports are fine; backends are not checked)",
  'no-silent-catch':
    'handlers that leave the request open on errors: a catch that neither responds nor calls next(); on Express 4, an async handler that throws or awaits outside a try/catch',
} as const;

/** The id of a rule of `backplane lint`. */
export type LintRuleId = keyof typeof lintRuleCatalog;

/** The id and description of a rule, to spread into its {@link LintRule} object. */
export function describeRule(id: LintRuleId): { id: LintRuleId; description: string } {
  return { id, description: lintRuleCatalog[id] };
}
