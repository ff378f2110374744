import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@backplane/plugin-api';
import { addPlugin, startRootRouter, tokens } from './__fixtures__/fakes';
import { describeRequestBodyError } from './describeRequestBodyError';

type Root = Awaited<ReturnType<typeof startRootRouter>>;
const running: Root[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(root => root.stop()));
});

/** A backend with plugin 'todo' whose router parses JSON bodies the way the golden path does. */
async function startTodo(parser = express.json()) {
  const root = await startRootRouter();
  running.push(root);
  const { httpRouter } = await addPlugin(root, 'todo');
  const router = express.Router();
  router.use(parser);
  router.post('/items', (req, res) => res.status(201).json({ received: req.body }));
  router.post('/fail', () => {
    throw Object.assign(new Error('The item store is full'), { type: 'quota', status: 507 });
  });
  httpRouter.use(router);
  return root;
}

function post(root: Root, path: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(`${root.url}/api/todo${path}?draft=1`, {
    method: 'POST',
    headers: { authorization: tokens.user, ...headers },
    body,
  });
}

describe('request body errors of a plugin router', () => {
  it('should still parse a valid JSON body', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', '{"title":"milk"}', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(201);
    expect((await res.json()) as any).toEqual({ received: { title: 'milk' } });
  });

  it('should answer invalid JSON with 400 and an InputError that names the route and the fix', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', '{"title":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await res.json()) as any).toEqual({
      error: {
        name: 'InputError',
        message:
          "The request body of 'POST /api/todo/items' is not valid JSON: Unexpected end of JSON input. Send a JSON body with content-type application/json.",
      },
      request: { method: 'POST', url: '/items?draft=1' },
      response: { statusCode: 400 },
    });
    expect(root.logger.entries.filter(e => e.level === 'error')).toEqual([]);
  });

  it('should answer a body that is not gzip despite content-encoding gzip with 400', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', '{"title":"milk"}', {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toEqual({
      name: 'InputError',
      message:
        "The request body of 'POST /api/todo/items' could not be decompressed as content-encoding 'gzip': incorrect header check. Send the body compressed the way its content-encoding header says, or send it uncompressed without that header.",
    });
  });

  it('should still accept a body that really is gzip', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', gzipSync('{"title":"milk"}'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(201);
  });

  it('should answer a body over the limit with 413 and say which option raises it', async () => {
    const root = await startTodo(express.json({ limit: 10 }));

    const res = await post(root, '/items', '{"title":"a long title"}', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error).toEqual({
      name: 'PayloadTooLargeError',
      message:
        "The request body of 'POST /api/todo/items' is larger than the limit of 10 bytes (content-length 24). Send a smaller body, or raise the 'limit' option of the body parser in the plugin's router (for example express.json({ limit: '1mb' })).",
    });
  });

  it('should answer an unsupported content-encoding with 415', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', '{}', {
      'content-type': 'application/json',
      'content-encoding': 'compress',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error).toEqual({
      name: 'UnsupportedMediaTypeError',
      message:
        "The request body of 'POST /api/todo/items' has content-encoding 'compress', which this route does not accept. Send it uncompressed, or compressed with content-encoding gzip or deflate.",
    });
  });

  it('should tell the client to send it uncompressed when the parser does not inflate', async () => {
    const root = await startTodo(express.json({ inflate: false }));

    const res = await post(root, '/items', gzipSync('{}'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.message).toBe(
      "The request body of 'POST /api/todo/items' has content-encoding 'gzip', which this route does not accept. Send it uncompressed, without a content-encoding header.",
    );
  });

  it('should answer an unsupported charset with 415', async () => {
    const root = await startTodo();

    const res = await post(root, '/items', '{}', {
      'content-type': 'application/json; charset=latin1',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error).toEqual({
      name: 'UnsupportedMediaTypeError',
      message:
        "The request body of 'POST /api/todo/items' has charset 'latin1', which this route does not accept. Send it encoded as utf-8, with content-type application/json; charset=utf-8.",
    });
  });

  it('should leave errors that do not come from the body parser as they are', async () => {
    const root = await startTodo();

    const res = await post(root, '/fail', '{}', { 'content-type': 'application/json' });
    expect(res.status).toBe(507);
    expect(((await res.json()) as any).error).toEqual({
      name: 'Error',
      message: 'The item store is full',
    });
  });
});

describe('describeRequestBodyError', () => {
  const req = {
    method: 'PUT',
    url: '/items/1',
    originalUrl: '/api/todo/items/1?x=1',
    headers: { 'content-type': 'application/json' },
  };
  const bodyParserError = (type: string, status: number, extra: object = {}) =>
    Object.assign(new Error('raw-body message'), { type, status, statusCode: status, ...extra });

  it('should keep the original error as the cause', () => {
    const original = bodyParserError('request.size.invalid', 400, { received: 3, expected: 9 });

    const described = describeRequestBodyError(original, req);
    expect(described).toMatchObject({
      name: 'InputError',
      statusCode: 400,
      message:
        "The request body of 'PUT /api/todo/items/1' has 3 bytes, but its content-length header says 9. Send a content-length header that matches the body, or leave it out.",
    });
    expect(described?.cause).toBe(original);
  });

  it('should describe a body read twice as a 500 the plugin must fix', () => {
    expect(
      describeRequestBodyError(bodyParserError('stream.not.readable', 500), req),
    ).toMatchObject({
      name: 'Error',
      statusCode: 500,
      message:
        "The request body of 'PUT /api/todo/items/1' could not be read: it had already been read, for example by a second body parser. Use one body parser per route in the plugin's router.",
    });
  });

  it('should return undefined for errors without a body parser type or status', () => {
    expect(describeRequestBodyError(new InputError('bad id'), req)).toBeUndefined();
    expect(describeRequestBodyError(bodyParserError('custom.type', 400), req)).toBeUndefined();
    expect(
      describeRequestBodyError(Object.assign(new Error('x'), { type: 'entity.parse.failed' }), req),
    ).toBeUndefined();
    expect(describeRequestBodyError('a string', req)).toBeUndefined();
  });
});
