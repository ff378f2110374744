import { randomBytes } from 'node:crypto';

/** A name that is unique across processes and runs, safe as an SQL identifier or key prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
