import { relative } from 'node:path';
import type { LintFinding } from './LintRule';

/** Formats a finding as `file:line:col  rule-id  message — fix`, the file relative to `cwd`. */
export function formatFinding(finding: LintFinding, cwd: string): string {
  const file = relative(cwd, finding.file) || finding.file;
  return `${file}:${finding.line}:${finding.column}  ${finding.ruleId}  ${finding.message} — ${finding.fix}`;
}
