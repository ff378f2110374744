import type { IncomingMessage } from 'node:http';

/** The fields body-parser and raw-body (through http-errors) put on the errors they raise. */
interface BodyParserErrorFields {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  code?: unknown;
  limit?: unknown;
  length?: unknown;
  expected?: unknown;
  received?: unknown;
  encoding?: unknown;
  charset?: unknown;
}

/** The request as the error handler sees it; `originalUrl` is the full path under a mount. */
type BodyRequest = Pick<IncomingMessage, 'method' | 'url' | 'headers'> & { originalUrl?: string };

/** What a body error becomes: the name, status and the message after the request's route. */
interface Description {
  name?: string;
  statusCode: number;
  problem: string;
  fix: string;
}

type Describe = (fields: BodyParserErrorFields, error: Error, req: BodyRequest) => Description;

const parserInRouter = "the body parser in the plugin's router";

/** One entry per `type` that body-parser and raw-body set. */
const describers: Readonly<Record<string, Describe>> = {
  'entity.parse.failed': (_fields, error, req) => {
    if (isJson(req) || error.name === 'SyntaxError') {
      return {
        statusCode: 400,
        problem: `is not valid JSON: ${error.message}`,
        fix: 'Send a JSON body with content-type application/json.',
      };
    }
    return {
      statusCode: 400,
      problem: `could not be parsed as '${contentType(req)}': ${error.message}`,
      fix: 'Send a body in the format that its content-type header names.',
    };
  },
  'entity.verify.failed': (fields, error) => ({
    name: error.name,
    statusCode: statusOf(fields) ?? 403,
    problem: `was rejected by the 'verify' option of ${parserInRouter}: ${error.message}`,
    fix: 'Send a body that passes that check.',
  }),
  'entity.too.large': fields => ({
    name: 'PayloadTooLargeError',
    statusCode: 413,
    problem: `is larger than the limit of ${fields.limit} bytes${sizeOf(fields)}`,
    fix:
      `Send a smaller body, or raise the 'limit' option of ${parserInRouter} ` +
      "(for example express.json({ limit: '1mb' })).",
  }),
  'parameters.too.many': () => ({
    name: 'PayloadTooLargeError',
    statusCode: 413,
    problem: `has more form fields than ${parserInRouter} accepts`,
    fix:
      "Send fewer fields, or raise the 'parameterLimit' option of express.urlencoded() " +
      "in the plugin's router.",
  }),
  'querystring.parse.rangeError': () => ({
    statusCode: 400,
    problem: `nests form fields deeper than ${parserInRouter} accepts`,
    fix:
      "Send flatter fields, or raise the 'depth' option of express.urlencoded() " +
      "in the plugin's router.",
  }),
  'encoding.unsupported': (fields, _error, req) => {
    const encoding = String(fields.encoding ?? req.headers['content-encoding'] ?? '');
    // gzip and deflate are refused only when the parser was created with `inflate: false`.
    const inflates = encoding !== 'gzip' && encoding !== 'deflate';
    return {
      name: 'UnsupportedMediaTypeError',
      statusCode: 415,
      problem: `has content-encoding '${encoding}', which this route does not accept`,
      fix: inflates
        ? 'Send it uncompressed, or compressed with content-encoding gzip or deflate.'
        : 'Send it uncompressed, without a content-encoding header.',
    };
  },
  'charset.unsupported': (fields, _error, req) => ({
    name: 'UnsupportedMediaTypeError',
    statusCode: 415,
    problem: `has charset '${fields.charset}', which this route does not accept`,
    fix:
      'Send it encoded as utf-8, with content-type ' +
      `${contentType(req) || 'application/json'}; charset=utf-8.`,
  }),
  'request.aborted': fields => ({
    statusCode: 400,
    problem:
      'was not received in full: the client aborted the request after ' +
      `${fields.received} of ${fields.expected ?? 'an unknown number of'} bytes`,
    fix: 'Retry the request.',
  }),
  'request.size.invalid': fields => ({
    statusCode: 400,
    problem: `has ${fields.received} bytes, but its content-length header says ${fields.expected}`,
    fix: 'Send a content-length header that matches the body, or leave it out.',
  }),
  'stream.encoding.set': () => ({
    name: 'Error',
    statusCode: 500,
    problem: 'could not be read: a handler before the body parser called req.setEncoding()',
    fix: 'Remove that call from the plugin, or read the body in that handler instead.',
  }),
  'stream.not.readable': () => ({
    name: 'Error',
    statusCode: 500,
    problem: 'could not be read: it had already been read, for example by a second body parser',
    fix: "Use one body parser per route in the plugin's router.",
  }),
};

/**
 * Rewrites an error that body-parser (`express.json()`, `express.urlencoded()`, …) raised while
 * reading a request body into one that says it is about the body of this request, and how to fix
 * it: `The request body of 'POST /api/todo/items' is not valid JSON: …`. The original error is kept
 * as `cause`. Returns `undefined` for any other error.
 *
 * Malformed bodies are named `InputError` (400) rather than body-parser's `SyntaxError`, `Error`
 * or `BadRequestError`; too large bodies keep `PayloadTooLargeError` (413) and unsupported
 * encodings and charsets `UnsupportedMediaTypeError` (415), as on Backstage.
 */
export function describeRequestBodyError(error: unknown, req: BodyRequest): Error | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const fields = error as Error & BodyParserErrorFields;
  const type = typeof fields.type === 'string' ? fields.type : '';
  let description: Description | undefined;
  if (Object.hasOwn(describers, type) && statusOf(fields) !== undefined) {
    description = describers[type](fields, error, req);
  } else if (isDecompressionError(fields, req)) {
    description = {
      statusCode: 400,
      problem:
        `could not be decompressed as content-encoding '${req.headers['content-encoding']}': ` +
        error.message,
      fix:
        'Send the body compressed the way its content-encoding header says, ' +
        'or send it uncompressed without that header.',
    };
  }
  if (!description) {
    return undefined;
  }

  const route = `'${req.method ?? 'GET'} ${pathOf(req.originalUrl ?? req.url ?? '/')}'`;
  const message = `The request body of ${route} ${description.problem}. ${description.fix}`;
  return Object.assign(new Error(message, { cause: error }), {
    name: description.name ?? 'InputError',
    statusCode: description.statusCode,
    type: fields.type,
  });
}

/** A zlib error that body-parser gave status 400 while inflating a gzip or deflate body. */
function isDecompressionError(fields: BodyParserErrorFields, req: BodyRequest): boolean {
  const encoding = req.headers['content-encoding'];
  return (
    statusOf(fields) === 400 &&
    typeof fields.code === 'string' &&
    fields.code.startsWith('Z_') &&
    typeof encoding === 'string' &&
    encoding.toLowerCase() !== 'identity'
  );
}

function statusOf(fields: BodyParserErrorFields): number | undefined {
  const status = fields.statusCode ?? fields.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** The declared size, when the request had a content-length header. */
function sizeOf(fields: BodyParserErrorFields): string {
  return typeof fields.length === 'number' ? ` (content-length ${fields.length})` : '';
}

function contentType(req: BodyRequest): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function isJson(req: BodyRequest): boolean {
  const type = contentType(req);
  return type === 'application/json' || type.endsWith('+json');
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
