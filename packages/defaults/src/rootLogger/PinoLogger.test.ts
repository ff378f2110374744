import { describe, expect, it } from 'vitest';
import { PinoLogger, type PinoLoggerOptions } from './PinoLogger';

/** A logger writing into an array of lines. */
function capture(options: PinoLoggerOptions = {}) {
  const lines: string[] = [];
  const logger = PinoLogger.create({
    destination: { write: line => lines.push(line) },
    ...options,
  });
  const json = () => lines.map(line => JSON.parse(line));
  return { logger, lines, json };
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

  it('should reject an unknown level', () => {
    expect(() => PinoLogger.create({ level: 'verbose' as never })).toThrow(
      "Invalid log level 'verbose'; use one of error, warn, info, debug, none",
    );
  });
});
