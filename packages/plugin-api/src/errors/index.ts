/**
 * The error vocabulary shared by plugins and the runtime. Each class keeps the `name` used by
 * Backstage, so the HTTP error handler maps it to the same status code on either runtime.
 */

/** Base class that keeps an optional `cause` and appends its message. */
export class CustomErrorBase extends Error {
  override readonly cause?: Error;

  constructor(message?: string, cause?: unknown) {
    let fullMessage = message ?? '';
    if (cause !== undefined) {
      const causeText = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      fullMessage = fullMessage
        ? `${fullMessage}; caused by ${causeText}`
        : `caused by ${causeText}`;
    }
    super(fullMessage);
    Error.captureStackTrace?.(this, this.constructor);
    if (!this.name || this.name === 'Error') {
      this.name = this.constructor.name;
    }
    if (cause !== undefined) {
      this.cause = cause instanceof Error ? cause : new Error(String(cause));
    }
  }
}

/** 400: the request or argument is malformed. */
export class InputError extends CustomErrorBase {
  override name = 'InputError' as const;
}
/** 401: the caller could not be authenticated. */
export class AuthenticationError extends CustomErrorBase {
  override name = 'AuthenticationError' as const;
}
/** 403: the caller is known but may not do this. */
export class NotAllowedError extends CustomErrorBase {
  override name = 'NotAllowedError' as const;
}
/** 404: the thing asked for does not exist. */
export class NotFoundError extends CustomErrorBase {
  override name = 'NotFoundError' as const;
}
/** 409: the request conflicts with the current state. */
export class ConflictError extends CustomErrorBase {
  override name = 'ConflictError' as const;
}
/** 304: the resource has not changed since the caller's copy. */
export class NotModifiedError extends CustomErrorBase {
  override name = 'NotModifiedError' as const;
}
/** 501: the operation is not implemented. */
export class NotImplementedError extends CustomErrorBase {
  override name = 'NotImplementedError' as const;
}
/** 503: a service this request needs is not available now. */
export class ServiceUnavailableError extends CustomErrorBase {
  override name = 'ServiceUnavailableError' as const;
}
/** Wraps an error while keeping the cause's name, for re-throwing with context. */
export class ForwardedError extends CustomErrorBase {
  constructor(message: string, cause: unknown) {
    super(message, cause);
    this.name = cause instanceof Error ? cause.name : 'Error';
  }
}

/** Status codes by error name, as both runtimes map them. */
export const statusCodeByErrorName: Readonly<Record<string, number>> = Object.freeze({
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
});

/** True when `value` looks like an error (has a string `name` and `message`). */
export function isError(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).name === 'string' &&
    typeof (value as Error).message === 'string'
  );
}
