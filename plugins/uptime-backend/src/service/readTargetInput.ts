import { InputError } from '@backplane/plugin-api';

/** The longest URL a target may have, in characters after normalisation. */
export const MAX_URL_LENGTH = 500;
/** The longest name a target may have. */
export const MAX_NAME_LENGTH = 100;

/** A validated `POST /targets` body. */
export interface TargetInput {
  /** The URL in normal form (`new URL(…).href`), without fragment. */
  url: URL;
  name: string;
}

/**
 * Validates the body of `POST /targets`: `url` an absolute http or https URL without user name
 * or password, `name` optional. Throws `InputError` naming the field and what to send.
 */
export function readTargetInput(body: unknown): TargetInput {
  const { url: rawUrl, name: rawName } = (body ?? {}) as { url?: unknown; name?: unknown };

  if (typeof rawUrl !== 'string' || rawUrl.trim() === '' || rawUrl.length > MAX_URL_LENGTH) {
    throw new InputError(
      `Body field 'url' must be a string of 1 to ${MAX_URL_LENGTH} characters, like 'https://example.com/health'.`,
    );
  }
  // URL.canParse rather than a caught TypeError: the parser's own message adds nothing.
  if (!URL.canParse(rawUrl.trim())) {
    throw new InputError(
      `Body field 'url' is not an absolute URL: '${rawUrl}'. Send one like 'https://example.com/health'.`,
    );
  }
  const url = new URL(rawUrl.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `Body field 'url' must use http or https, got '${url.protocol}'. Send one like 'https://example.com/health'.`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      `Body field 'url' must not contain a user name or password: targets are listed to every caller of 'GET /targets'.`,
    );
  }
  url.hash = '';
  if (url.href.length > MAX_URL_LENGTH) {
    throw new InputError(
      `Body field 'url' is ${url.href.length} characters long once normalised; the most is ${MAX_URL_LENGTH}.`,
    );
  }

  if (
    rawName !== undefined &&
    (typeof rawName !== 'string' || rawName.trim() === '' || rawName.length > MAX_NAME_LENGTH)
  ) {
    throw new InputError(
      `Body field 'name' must be a string of 1 to ${MAX_NAME_LENGTH} characters when given.`,
    );
  }
  return { url, name: typeof rawName === 'string' ? rawName.trim() : url.host };
}
