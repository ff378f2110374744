/** Exit code of usage errors: an unknown command or option, a missing or malformed option value. */
export const USAGE_EXIT_CODE = 2;

/** Options for {@link CliError}. */
export interface CliErrorOptions {
  /** What the user can do about it; printed after the message. */
  fix: string;
  /** The process exit code; 1 unless given, {@link USAGE_EXIT_CODE} for usage errors. */
  exitCode?: number;
  cause?: unknown;
}

/**
 * An expected failure of a command: printed as one line, `error: <what failed> — <fix>`, without a
 * stack trace, and the command exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly fix: string;
  readonly exitCode: number;

  constructor(message: string, options: CliErrorOptions) {
    super(`${message} — ${options.fix}`, { cause: options.cause });
    this.fix = options.fix;
    this.exitCode = options.exitCode ?? 1;
  }
}
