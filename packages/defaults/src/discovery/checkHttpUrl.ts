/** What {@link checkHttpUrl} needs to name the value in its error. */
export interface CheckHttpUrlOptions {
  /** The full config key the value was read from, e.g. `backend.baseUrl`. */
  key: string;
  /** A valid value to show in the error, e.g. `https://backstage.example.com`. */
  example: string;
}

/**
 * Checks that a configured value is an absolute `http:` or `https:` URL that a path can be
 * appended to (no query or fragment), so that a mistake stops the backend at startup instead of
 * failing each request that builds a URL from it. Throws an error naming the key and the fix.
 */
export function checkHttpUrl(value: string, options: CheckHttpUrlOptions): void {
  const problem = findProblem(value);
  if (problem === undefined) return;

  const fix = `write an absolute http:// or https:// URL, for example '${options.example}'`;
  throw new Error(`Invalid config value at '${options.key}': ${problem}; ${fix}`);
}

function findProblem(value: string): string | undefined {
  const shown = `'${value}'`;
  if (value.trim() !== value) return `${shown} starts or ends with white space`;

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${shown} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
      ? `${shown} uses the scheme '${url.protocol.slice(0, -1)}', ` +
          'and only http and https are supported'
      : `${shown} does not start with http:// or https://`;
  }
  if (!/^https?:\/\//i.test(value)) return `${shown} does not start with http:// or https://`;
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) {
    return `${shown} has a query or fragment, which plugin paths cannot be appended to`;
  }
  return undefined;
}
