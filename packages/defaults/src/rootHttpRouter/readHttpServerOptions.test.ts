import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@backplane/plugin-api';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { createFakeConfig } from './__fixtures__/fakes';
import { readHttpServerOptions } from './readHttpServerOptions';

function listen(value: unknown) {
  return readHttpServerOptions(createFakeConfig({ backend: { listen: value } })).listen;
}

describe('readHttpServerOptions', () => {
  it.each([
    [undefined, { port: 7007 }],
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    [':7017', { host: undefined, port: 7017 }],
    ['7018', { port: 7018 }],
    [7019, { port: 7019 }],
    ['[::1]:7020', { host: '::1', port: 7020 }],
    [
      { host: 'localhost', port: 0 },
      { host: 'localhost', port: 0 },
    ],
    [{ port: '7021' }, { host: undefined, port: 7021 }],
    [{ host: '' }, { host: undefined, port: 7007 }],
  ])('should read backend.listen %j', (value, expected) => {
    expect(listen(value)).toEqual(expected);
  });

  it('should name the key and the fix for a bad port', () => {
    expect(() => listen({ port: 70000 })).toThrow(
      "Invalid port 70000 at 'backend.listen.port'; write a whole number from 0 to 65535 (0 picks a free port).",
    );
    expect(() => listen('localhost:http')).toThrow(
      `Invalid port "http" at 'backend.listen'; write a whole number from 0 to 65535 (0 picks a free port).`,
    );
    expect(() => listen('a:b:c')).toThrow(
      "Invalid 'backend.listen' 'a:b:c'; write it as 'host:port' or ':port', for example ':7007' or '127.0.0.1:7007'.",
    );
    expect(() => listen([7007])).toThrow(
      "Invalid 'backend.listen' [7007]; write it as 'host:port', ':port' or { host, port }.",
    );
  });

  it('should read backend.server timeouts as milliseconds or durations', () => {
    const config = createFakeConfig({
      backend: {
        server: { requestTimeout: { minutes: 1 }, timeout: 'PT10S', maxHeadersCount: 100 },
      },
    });
    expect(readHttpServerOptions(config).server).toEqual({
      requestTimeout: 60_000,
      timeout: 10_000,
      maxHeadersCount: 100,
    });
    expect(() =>
      readHttpServerOptions(
        createFakeConfig({ backend: { server: { keepAliveTimeout: 'soon' } } }),
      ),
    ).toThrow(
      `Invalid 'backend.server.keepAliveTimeout' "soon"; write milliseconds as a number, or a duration like '30s' or { seconds: 30 }.`,
    );
  });

  describe('backend.https, read as a user writes it in app-config.yaml', () => {
    const https = (value: unknown) =>
      readHttpServerOptions(new ConfigReader({ backend: { https: value } } as JsonObject)).https;
    const fix =
      "give a PEM certificate and private key, for example 'backend.https: { certificate: { cert: { $file: ./certs/backend.crt }, key: { $file: ./certs/backend.key } } }', or remove 'backend.https' and terminate TLS in a proxy.";

    it('should refuse true, saying a self-signed certificate is not generated', () => {
      expect(() => https(true)).toThrow(
        `Invalid 'backend.https': true asks for a generated self-signed certificate, which Backplane does not support; ${fix}`,
      );
      expect(() => https(true)).not.toThrow('expected object, got boolean');
    });

    it('should name the missing certificate part', () => {
      expect(() => https({ certificate: { cert: 'CERT' } })).toThrow(
        `Invalid 'backend.https': it needs both 'backend.https.certificate.cert' and 'backend.https.certificate.key', and 'key' is missing; ${fix}`,
      );
      expect(() => https({})).toThrow('and both are missing; give a PEM certificate');
    });

    it('should refuse a value that is not an object', () => {
      expect(() => https('yes please')).toThrow(
        `Invalid 'backend.https' "yes please": it must be an object with 'certificate.cert' and 'certificate.key'; ${fix}`,
      );
    });

    it('should read the certificate, and treat false as off', () => {
      expect(https({ certificate: { cert: 'CERT', key: 'KEY' } })).toEqual({
        cert: 'CERT',
        key: 'KEY',
      });
      expect(https(false)).toBeUndefined();
    });
  });
});
