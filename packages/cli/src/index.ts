/**
 * The `backplane` command: create plugin packages, run a backend in development mode, run tests and
 * check plugins for common pitfalls.
 *
 * @packageDocumentation
 */
export { main, runCli, createProcessEnvironment } from './main';
export { createProgram, USAGE_EXIT_CODE } from './createProgram';
export { CliError } from './CliError';
export type { CliErrorOptions } from './CliError';
export type { CliEnvironment } from './CliEnvironment';
export type { Prompter, PromptChoice } from './new/Prompter';
export type { RunProcess, RunProcessOptions } from './process/runProcess';
export { lintPackage } from './lint/lintPackage';
export { lintRules } from './lint/lintRules';
export { formatFinding } from './lint/formatFinding';
export type { LintFinding, LintRule, LintRuleContext } from './lint/LintRule';
export { RESERVED_PLUGIN_IDS } from './new/validateIds';
export { templateCatalog } from './new/templateCatalog';
export type { TemplateDefinition, TemplateId, TemplateOptionKey } from './new/templateCatalog';
