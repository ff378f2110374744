/**
 * The text printed when a backend that owns its process fails to start: the message of the
 * failure, and of its cause when the cause says something the message does not.
 */
export function describeStartupFailure(error: unknown): string {
  if (!(error instanceof Error)) {
    return `Backend failed to start: ${String(error)}`;
  }
  const lines = [`Backend failed to start: ${error.message}`];
  const cause = error.cause;
  if (cause instanceof Error && !error.message.includes(cause.message)) {
    lines.push(`  caused by ${cause.name}: ${cause.message}`);
  }
  return lines.join('\n');
}
