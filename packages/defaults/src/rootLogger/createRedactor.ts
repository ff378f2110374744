/** Replaces secret values in serialized log lines. */
export interface Redactor {
  /** Adds values to hide; values on the allowlist and empty strings are ignored. */
  add(values: Iterable<string>): void;
  /** Returns `line` with every known secret replaced by `[REDACTED]`. */
  redact(line: string): string;
}

const REPLACEMENT = '[REDACTED]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Creates a {@link Redactor} for JSON log lines. Each secret is matched both as written and in its
 * JSON-escaped form, so a secret holding quotes or newlines is still found inside a JSON string.
 */
export function createRedactor(allowlist: Iterable<string> = []): Redactor {
  const allowed = new Set(allowlist);
  const secrets = new Set<string>();
  let pattern: RegExp | undefined;

  return {
    add(values) {
      let changed = false;
      for (const value of values) {
        if (!value || allowed.has(value) || secrets.has(value)) continue;
        secrets.add(value);
        changed = true;
      }
      if (!changed) return;
      const forms = new Set<string>();
      for (const secret of secrets) {
        forms.add(secret);
        forms.add(JSON.stringify(secret).slice(1, -1));
      }
      const sorted = [...forms].sort((a, b) => b.length - a.length);
      pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    },
    redact(line) {
      return pattern ? line.replace(pattern, REPLACEMENT) : line;
    },
  };
}
