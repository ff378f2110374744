/** True when `e` is a unique-constraint violation on SQLite, PostgreSQL or MySQL. */
export function isDatabaseConflictError(e: unknown): boolean {
  const message = (e as { message?: unknown })?.message;
  const code = (e as { code?: unknown })?.code;
  if (code === '23505' || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return true;
  }
  return (
    typeof message === 'string' &&
    (/SQLITE_CONSTRAINT(?:_UNIQUE)?:/.test(message) ||
      /UNIQUE constraint failed:/.test(message) ||
      /unique constraint/.test(message) ||
      /Duplicate entry/.test(message))
  );
}
