import type { BackplaneErrorCode } from './errorCodes';

/**
 * An error raised by the runtime. The message starts with the stable `code`, then says what
 * failed, names the ids involved in quotes and gives the fix.
 */
export class BackplaneError extends Error {
  readonly code: BackplaneErrorCode;
  /** The message without the leading code. */
  readonly detail: string;

  constructor(code: BackplaneErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : options);
    this.name = 'BackplaneError';
    this.code = code;
    this.detail = message;
  }
}

/** Short text for a thrown value, used inside messages: `Error: boom` (no final period). */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof BackplaneError) {
    text = error.message;
  } else if (error instanceof Error) {
    text = `${error.name}: ${error.message}`;
  } else {
    text = String(error);
  }
  return text.replace(/\.+$/, '');
}

/** Turns any thrown value into an Error, keeping Errors as they are. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
