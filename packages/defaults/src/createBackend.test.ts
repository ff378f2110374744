import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = resolve(__dirname, '__fixtures__/ownedProcessBackend.ts');
// The child runs in an empty temporary folder, so tsx is loaded by its resolved path.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runFixture(config: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-owned-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = join(dir, 'app-config.yaml');
  writeFileSync(configFile, config);
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', tsxLoader, fixture, '--config', configFile],
      {
        cwd: dir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', fail);
    child.on('exit', code => done({ code, stdout, stderr }));
  });
}

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

const cleanups: Array<() => void> = [];

afterEach(() => {
  cleanups.splice(0).forEach(cleanup => cleanup());
});

describe('createBackend in a process it owns', () => {
  it('should print one line naming the busy port and exit 1 when the port is in use', async () => {
    const { server, port } = await listenOnFreePort();
    cleanups.push(() => server.close());

    const { code, stderr } = await runFixture(
      [
        'backend:',
        `  baseUrl: http://127.0.0.1:${port}`,
        '  listen:',
        `    port: ${port}`,
        '    host: 127.0.0.1',
        '',
      ].join('\n'),
    );

    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Cannot listen on 127.0.0.1:${port}: the port is already in use by another process. Stop that process, or choose another port with 'backend.listen' in app-config.yaml`,
    );
    expect(lines[0]).toMatch(/^Backend failed to start: /);
  }, 30_000);

  it('should print the config error and exit 1 when the config is malformed', async () => {
    const { code, stderr } = await runFixture('backend:\n  listen: [port\n');

    expect(code).toBe(1);
    expect(stderr).toMatch(/^Backend failed to start: /);
    expect(stderr).toContain('app-config.yaml');
    expect(stderr).toContain(
      "malformed YAML at line 2, column 11 (in the value of 'backend.listen'): the [ that opens the list is never closed; add the closing ] after its last item",
    );
  }, 30_000);

  it('should refuse to start, naming backend.baseUrl, when it is not a URL', async () => {
    const { code, stderr } = await runFixture('backend:\n  baseUrl: not a url\n  listen: :0\n');

    expect(code).toBe(1);
    expect(stderr).toMatch(/^Backend failed to start: /);
    expect(stderr).toContain(
      "Invalid config value at 'backend.baseUrl': 'not a url' is not a URL; write an absolute http:// or https:// URL, for example 'https://backstage.example.com'",
    );
  }, 30_000);

  it('should refuse backend.https: true, saying a certificate is needed', async () => {
    const { code, stderr } = await runFixture('backend:\n  https: true\n  listen: :0\n');

    expect(code).toBe(1);
    expect(stderr).toContain(
      "Invalid 'backend.https': true asks for a generated self-signed certificate, which Backplane does not support; give a PEM certificate and private key, for example 'backend.https: { certificate: { cert: { $file: ./certs/backend.crt }, key: { $file: ./certs/backend.key } } }'",
    );
    expect(stderr).not.toContain('expected object, got boolean');
  }, 30_000);
});
