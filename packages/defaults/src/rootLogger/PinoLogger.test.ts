import { describe, expect, it } from 'vitest';
import { PinoLogger, type PinoLoggerOptions } from './PinoLogger';

/** A logger writing into an array of lines. */
function capture(options: PinoLoggerOptions = {}) {
  const lines: string[] = [];
  const logger = PinoLogger.create({
    destination: { write: line => lines.push(line) },
    ...options,
  });
  const json = () => lines.map(parseUnique);
  return { logger, lines, json };
}

/** The top-level keys of a JSON line in the order written, repeats included. */
function rawKeys(line: string): string[] {
  // JSON.parse hides repeated keys, so walk the text: a key is a string directly followed by `:`
  // at nesting depth 1.
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === '"') {
      let end = i + 1;
      while (line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      if (depth === 1 && line[end + 1] === ':') keys.push(JSON.parse(line.slice(i, end + 1)));
      i = end;
    }
  }
  return keys;
}

/** Parses a JSON line, failing if it holds a key twice, which JSON.parse would hide. */
function parseUnique(line: string) {
  const keys = rawKeys(line);
  expect(keys, `duplicate keys in ${line}`).toEqual([...new Set(keys)]);
  return JSON.parse(line);
}

describe('PinoLogger', () => {
  it('should write one JSON object per line with level, timestamp, message, meta and fields', () => {
    const { logger, lines, json } = capture({ meta: { service: 'backplane' } });

    logger.info('Plugin started', { durationMs: 12 });

    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(json()[0]).toEqual({
      level: 'info',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'backplane',
      message: 'Plugin started',
      durationMs: 12,
    });
  });

  it('should drop lines below the level and write nothing with level none', () => {
    const warn = capture({ level: 'warn' });
    warn.logger.info('hidden');
    warn.logger.debug('hidden');
    warn.logger.warn('shown');
    warn.logger.error('shown too');

    const none = capture({ level: 'none' });
    none.logger.error('hidden');

    expect(warn.json().map(line => line.level)).toEqual(['warn', 'error']);
    expect(none.lines).toEqual([]);
  });

  it('should keep the stack of an Error given as meta or inside meta under its key', () => {
    const { logger, json } = capture();
    const cause = new Error('socket closed');
    const error = Object.assign(new Error('Query failed', { cause }), { code: 'E42' });

    logger.error('Database call failed', error);
    logger.warn('Retrying', { attempt: 2, error });

    const [first, second] = json();
    expect(first.error).toMatchObject({
      name: 'Error',
      message: 'Query failed',
      code: 'E42',
      stack: expect.stringContaining('Error: Query failed'),
      cause: { name: 'Error', message: 'socket closed' },
    });
    expect(second).toMatchObject({ attempt: 2, error: { message: 'Query failed' } });
    expect(second.error.stack).toContain('PinoLogger.test.ts');
  });

  it('should add child meta to every line of the child only', () => {
    const { logger, json } = capture();
    const child = logger.child({ plugin: 'catalog' });
    const grandchild = child.child({ task: 'refresh' });

    child.info('from child');
    grandchild.info('from grandchild');
    logger.info('from root');

    expect(json()).toEqual([
      expect.objectContaining({ plugin: 'catalog', message: 'from child' }),
      expect.objectContaining({ plugin: 'catalog', task: 'refresh', message: 'from grandchild' }),
      expect.not.objectContaining({ plugin: 'catalog' }),
    ]);
  });

  it('should keep its own level, timestamp and message and rename colliding fields', () => {
    const { logger, lines } = capture();

    logger.info('hello', { message: 'x', level: 'oops', timestamp: 'then', count: 1 });
    logger.warn('not text', { message: { code: 42 } });
    logger.info('taken twice', { level: 'a', 'fields.level': 'b' });

    expect(parseUnique(lines[0])).toEqual({
      level: 'info',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: 'hello x',
      count: 1,
      'fields.level': 'oops',
      'fields.timestamp': 'then',
    });
    expect(parseUnique(lines[1])).toMatchObject({
      level: 'warn',
      message: 'not text',
      'fields.message': { code: 42 },
    });
    expect(parseUnique(lines[2])).toMatchObject({
      level: 'info',
      'fields.level': 'b',
      'fields.fields.level': 'a',
    });
  });

  it('should keep the fields a logger carries and rename different values given later', () => {
    const { logger, lines } = capture({ meta: { service: 'backplane', level: 'meta-level' } });
    const child = logger.child({ plugin: 'catalog', level: 'x', message: 'm', serializers: 's' });

    child.info('call', { plugin: 'other', service: 'other', task: 't' });
    child.child({ plugin: 'catalog' }).info('same value');
    child.child({ plugin: 'search', task: 'refresh' }).info('other value', { task: 'call' });

    const [call, same, other] = lines.map(parseUnique);
    expect(call).toEqual({
      level: 'info',
      timestamp: expect.any(String),
      message: 'call',
      service: 'backplane',
      plugin: 'catalog',
      task: 't',
      'fields.level': 'meta-level',
      'fields.fields.level': 'x',
      'fields.message': 'm',
      'fields.serializers': 's',
      'fields.plugin': 'other',
      'fields.service': 'other',
    });
    expect(same).toMatchObject({ plugin: 'catalog', message: 'same value' });
    expect(same).not.toHaveProperty(['fields.plugin']);
    expect(other).toMatchObject({
      level: 'info',
      message: 'other value',
      plugin: 'catalog',
      task: 'refresh',
      'fields.plugin': 'search',
      'fields.task': 'call',
    });
  });

  it('should match level overrides against the fields a logger keeps', () => {
    const { logger, json } = capture({
      overrides: [{ matchers: { plugin: 'catalog' }, level: 'debug' }],
    });

    logger.child({ plugin: 'catalog' }).child({ plugin: 'other' }).debug('still catalog');

    expect(json()).toEqual([
      expect.objectContaining({ plugin: 'catalog', 'fields.plugin': 'other' }),
    ]);
  });

  it('should redact secret values everywhere, in children too, unless allowlisted', () => {
    const { logger, lines } = capture({
      redactions: ['s3cr3t-token', 'with "quotes"'],
      redactAllowlist: ['public-value'],
    });
    logger.addRedactions(['later-secret', 'public-value']);

    logger.info('token is s3cr3t-token', { header: 'Bearer s3cr3t-token', other: 'with "quotes"' });
    logger.child({ plugin: 'x' }).warn('late', { value: 'later-secret', shown: 'public-value' });

    const text = lines.join('');
    expect(text).not.toContain('s3cr3t-token');
    expect(text).not.toContain('later-secret');
    expect(text).not.toContain('quotes');
    expect(text).toContain('public-value');
    expect(JSON.parse(lines[0])).toMatchObject({
      message: 'token is [REDACTED]',
      header: 'Bearer [REDACTED]',
      other: '[REDACTED]',
    });
  });

  it('should apply a level override to the child loggers whose fields match', () => {
    const { logger, json } = capture({
      level: 'info',
      overrides: [
        { matchers: { plugin: ['catalog', '/^search-/'] }, level: 'debug' },
        { matchers: { plugin: 'noisy' }, level: 'error' },
      ],
    });

    logger.child({ plugin: 'catalog' }).debug('catalog debug');
    logger.child({ plugin: 'search-index' }).debug('search debug');
    logger.child({ plugin: 'other' }).debug('other debug');
    logger.child({ plugin: 'noisy' }).warn('noisy warn');

    expect(json().map(line => line.message)).toEqual(['catalog debug', 'search debug']);
  });

  it('should write readable single lines in the pretty format', () => {
    const { logger, lines } = capture({ format: 'pretty', colorize: false });

    logger.child({ plugin: 'catalog' }).info('Plugin started', { durationMs: 12 });
    logger.error('Boom', new Error('bad thing'));

    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: catalog: Plugin started \{"durationMs":12\}\n$/,
    );
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] ERROR: Boom/);
    expect(lines[1]).toContain('Error: bad thing');
  });

  it('should redact secrets in the pretty format too', () => {
    const { logger, lines } = capture({
      format: 'pretty',
      colorize: false,
      redactions: ['hunter22'],
    });

    logger.info('password hunter22', { password: 'hunter22' });

    expect(lines[0]).toContain('password [REDACTED] {"password":"[REDACTED]"}');
  });

  it('should redact secrets in renamed fields and in an appended message', () => {
    const { logger, lines } = capture({ redactions: ['s3cr3t'] });

    logger.child({ level: 's3cr3t' }).info('hi', { message: 's3cr3t', timestamp: 'x s3cr3t' });

    expect(lines[0]).not.toContain('s3cr3t');
    expect(parseUnique(lines[0])).toMatchObject({
      level: 'info',
      message: 'hi [REDACTED]',
      'fields.level': '[REDACTED]',
      'fields.timestamp': 'x [REDACTED]',
    });
  });

  it('should show the logger level and the renamed fields in the pretty format', () => {
    const { logger, lines } = capture({ format: 'pretty', colorize: false });

    logger.child({ plugin: 'catalog' }).info('hello', { message: 'x', level: 'oops', plugin: 'y' });

    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: catalog: hello x \{"fields.level":"oops","fields.plugin":"y"\}\n$/,
    );
  });

  it('should reject an unknown level', () => {
    expect(() => PinoLogger.create({ level: 'verbose' as never })).toThrow(
      "Invalid log level 'verbose'; use one of error, warn, info, debug, none",
    );
  });
});
