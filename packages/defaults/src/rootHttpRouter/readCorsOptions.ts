import type { CorsOptions } from 'cors';
import type { minimatch } from 'minimatch';
import type { Config } from '@backplane/plugin-api';

/**
 * Reads `backend.cors` into options for the `cors` library, or `undefined` when it is not
 * configured (then no CORS work is done and no CORS headers are sent).
 *
 * `origin` is a string or list of strings; each may be a glob such as `https://*.example.com`.
 */
export function readCorsOptions(config: Config): CorsOptions | undefined {
  const cors = config.getOptionalConfig('backend.cors');
  if (!cors) {
    return undefined;
  }
  const options: CorsOptions = {
    origin: readOrigin(cors),
    methods: readStringOrList(cors, 'methods'),
    allowedHeaders: readStringOrList(cors, 'allowedHeaders'),
    exposedHeaders: readStringOrList(cors, 'exposedHeaders'),
    credentials: cors.getOptionalBoolean('credentials'),
    maxAge: cors.getOptionalNumber('maxAge'),
    preflightContinue: cors.getOptionalBoolean('preflightContinue'),
    optionsSuccessStatus: cors.getOptionalNumber('optionsSuccessStatus'),
  };
  // The cors library takes an explicit `undefined` as a value, so leave unset keys out.
  for (const key of Object.keys(options) as Array<keyof CorsOptions>) {
    if (options[key] === undefined) {
      delete options[key];
    }
  }
  return options;
}

function readStringOrList(config: Config, key: string): string[] | undefined {
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
    return value as string[];
  }
  throw new Error(
    `Invalid 'backend.cors.${key}' ${JSON.stringify(value)}; write a string or a list of strings.`,
  );
}

function readOrigin(config: Config): CorsOptions['origin'] {
  const value = config.getOptional<unknown>('origin');
  if (value === undefined || value === false) {
    return false;
  }
  if (value === true) {
    return true;
  }
  const patterns = readStringOrList(config, 'origin') ?? [];
  if (!patterns.some(p => /[*?[{]/.test(p))) {
    // Always a list, also for one origin: the cors library sends a single string to every origin,
    // while a list is matched against the request's Origin and sends nothing when it differs.
    return patterns;
  }
  return (origin, callback) => {
    callback(null, !!origin && patterns.some(p => loadMinimatch()(origin, p, { nocase: true })));
  };
}

/** minimatch loads only when an origin pattern is configured. */
function loadMinimatch(): typeof minimatch {
  return (require('minimatch') as typeof import('minimatch')).minimatch;
}
