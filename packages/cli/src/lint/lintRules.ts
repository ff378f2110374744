import type { LintRule } from './LintRule';
import { noApiPrefixAuthPolicy } from './rules/noApiPrefixAuthPolicy';
import { noApiPrefixRoute } from './rules/noApiPrefixRoute';
import { noCrossPluginImport } from './rules/noCrossPluginImport';
import { noModuleState } from './rules/noModuleState';
import { noSilentCatch } from './rules/noSilentCatch';

/** Every rule `backplane lint` runs. */
export const lintRules: readonly LintRule[] = [
  noModuleState,
  noApiPrefixRoute,
  noApiPrefixAuthPolicy,
  noCrossPluginImport,
  noSilentCatch,
];
