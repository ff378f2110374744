import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findWorkspaceRoot, loadConfig, readConfigArgs } from './loadConfig';
import { readEnvOverrides } from './readEnvOverrides';
import { substituteEnv } from './transformConfig';

const dirs: string[] = [];

/** Creates a temporary directory holding `files` (path → content). */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-config-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('should read app-config.yaml then app-config.local.yaml from the workspace root', async () => {
    const root = workspace({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'app-config.yaml': 'backend:\n  baseUrl: http://a\n  listen: { port: 7007, host: x }\n',
      'app-config.local.yaml': 'backend:\n  listen: { port: 7008 }\n',
      'packages/app/package.json': JSON.stringify({ name: 'app' }),
    });

    const loaded = await loadConfig({ cwd: join(root, 'packages/app'), argv: [], env: {} });

    expect(loaded.data).toEqual({
      backend: { baseUrl: 'http://a', listen: { port: 7008, host: 'x' } },
    });
    expect(loaded.sources).toEqual([
      join(root, 'app-config.yaml'),
      join(root, 'app-config.local.yaml'),
    ]);
  });

  it('should start empty when there is no app-config.yaml', async () => {
    const root = workspace({ 'package.json': '{}' });

    const loaded = await loadConfig({ cwd: root, argv: [], env: {} });

    expect(loaded).toMatchObject({ data: {}, sources: [] });
  });

  it('should load only the --config files, in order, replacing arrays and removing nulls', async () => {
    const root = workspace({
      'app-config.yaml': 'ignored: true\n',
      'a.yaml': 'list: [1, 2]\nkeep: { x: 1, y: 2 }\n',
      'b.yaml': 'list: [3]\nkeep: { y: null, z: 3 }\n',
    });

    const argv = ['node', 'index.js', '--config', 'a.yaml', '--config=b.yaml'];
    const loaded = await loadConfig({ cwd: root, argv, env: {} });

    expect(loaded.data).toEqual({ list: [3], keep: { x: 1, z: 3 } });
  });

  it('should fail with the file name when a --config file is missing', async () => {
    const root = workspace({});

    const result = loadConfig({ cwd: root, argv: ['--config', 'nope.yaml'], env: {} });

    await expect(result).rejects.toThrow(
      `Failed to load config file '${join(root, 'nope.yaml')}': ENOENT: no such file or directory`,
    );
  });

  describe('malformed YAML', () => {
    async function yamlError(text: string): Promise<string> {
      const root = workspace({ 'app-config.yaml': text });
      const error = await loadConfig({ cwd: root, argv: [], env: {} }).catch((e: Error) => e);
      const prefix = `Failed to load config file '${join(root, 'app-config.yaml')}': `;
      expect((error as Error).message.startsWith(prefix)).toBe(true);
      return (error as Error).message.slice(prefix.length);
    }

    it('should point an unclosed quote at where it opens, not at the end of the file', async () => {
      const text = [
        'app:',
        '  title: Test',
        'backend:',
        '  baseUrl: "http://localhost:7007',
        '  listen: 7007',
        '',
      ].join('\n');

      expect(await yamlError(text)).toBe(
        `malformed YAML at line 4, column 12 (in the value of 'backend.baseUrl'): the opening " is never closed; add the closing " at the end of the value`,
      );
    });

    it('should name the key of an unclosed value without echoing its content', async () => {
      const message = await yamlError('backend:\n  baseUrl: http://a\n  token: "secret-value\n');

      expect(message).toBe(
        `malformed YAML at line 3, column 10 (in the value of 'backend.token'): the opening " is never closed; add the closing " at the end of the value`,
      );
      expect(message).not.toContain('secret-value');
    });

    it('should point an unclosed list at its [', async () => {
      expect(await yamlError('backend:\n  listen: [7007\nlogger: {}\n')).toBe(
        "malformed YAML at line 2, column 11 (in the value of 'backend.listen'): the [ that opens the list is never closed; add the closing ] after its last item",
      );
    });

    it('should name the line and key of bad indentation', async () => {
      expect(await yamlError('backend:\n  baseUrl: http://a\n listen: 7007\n')).toBe(
        "malformed YAML at line 3, column 1 (after 'backend.baseUrl'): All mapping items must start at the same column; indent the keys of one mapping by the same number of spaces",
      );
      expect(await yamlError('backend:\n  baseUrl: http://a\n    listen: 7007\n')).toBe(
        "malformed YAML at line 2, column 12 (after 'backend.baseUrl'): Nested mappings are not allowed in compact mappings; indent the keys of one mapping by the same number of spaces",
      );
    });

    it('should name the line and key of a duplicate key', async () => {
      expect(await yamlError('a: 1\nb: 2\na: 3\n')).toBe(
        "malformed YAML at line 3, column 1 (at 'a'): Map keys must be unique; remove or rename one of the two keys",
      );
      expect(await yamlError('backend:\n  listen: 1\n  listen: 2\n')).toBe(
        "malformed YAML at line 3, column 3 (at 'backend.listen'): Map keys must be unique; remove or rename one of the two keys",
      );
    });
  });

  it('should substitute ${VAR}, keep $${ as a literal and drop keys with unset variables', async () => {
    const root = workspace({
      'app-config.yaml': [
        'url: http://${HOST}:${PORT}/x',
        'literal: $${NOT_A_VAR}',
        'missing: ${UNSET_VAR}',
        'list: [a, "${UNSET_VAR}", "${HOST}"]',
      ].join('\n'),
    });

    const env = { HOST: 'example.com', PORT: '8080' };
    const loaded = await loadConfig({ cwd: root, argv: [], env });

    expect(loaded.data).toEqual({
      url: 'http://example.com:8080/x',
      literal: '${NOT_A_VAR}',
      list: ['a', 'example.com'],
    });
    expect(loaded.secrets.size).toBe(0);
  });

  it('should resolve $env and $file relative to the including file and record them as secrets', async () => {
    const root = workspace({
      'conf/app-config.yaml': [
        'backend:',
        '  auth:',
        '    keys:',
        '      - secret: { $env: BACKEND_SECRET }',
        '      - secret: { $file: secrets/key.txt }',
        '  other: { $env: UNSET_VAR }',
      ].join('\n'),
      'conf/secrets/key.txt': 'from-a-file\n',
    });

    const argv = ['--config', 'conf/app-config.yaml'];
    const env = { BACKEND_SECRET: 'from-the-env' };
    const loaded = await loadConfig({ cwd: root, argv, env });

    expect(loaded.data).toEqual({
      backend: { auth: { keys: [{ secret: 'from-the-env' }, { secret: 'from-a-file\n' }] } },
    });
    expect([...loaded.secrets]).toEqual(['from-the-env', 'from-a-file\n']);
    expect(loaded.locations).toContain(join(root, 'conf/secrets/key.txt'));
  });

  it('should $include YAML and JSON files with a #key.path fragment, resolved against the included file', async () => {
    const root = workspace({
      'app-config.yaml': [
        'database: { $include: shared/db.yaml#backend.database }',
        'extra: { $include: shared/extra.json }',
      ].join('\n'),
      'shared/db.yaml': 'backend:\n  database:\n    client: pg\n    password: { $file: pw.txt }\n',
      'shared/pw.txt': 'pw',
      'shared/extra.json': '{"a": {"b": "${HOST}"}}',
    });

    const loaded = await loadConfig({ cwd: root, argv: [], env: { HOST: 'h' } });

    expect(loaded.data).toEqual({
      database: { client: 'pg', password: 'pw' },
      extra: { a: { b: 'h' } },
    });
  });

  it('should explain a bad directive, a missing fragment and an include cycle', async () => {
    const bad = workspace({ 'app-config.yaml': 'a: { $env: X, other: 1 }\n' });
    await expect(loadConfig({ cwd: bad, argv: [], env: {} })).rejects.toThrow(
      `Failed to load config file '${join(bad, 'app-config.yaml')}': '$env' at 'a' must be the only key of its object; move the other keys elsewhere`,
    );

    const fragment = workspace({
      'app-config.yaml': 'a: { $include: b.yaml#x.y }\n',
      'b.yaml': 'x: {}\n',
    });
    await expect(loadConfig({ cwd: fragment, argv: [], env: {} })).rejects.toThrow(
      `'$include' at 'a': '${join(fragment, 'b.yaml')}' has no value at 'x.y'`,
    );

    const cycle = workspace({
      'app-config.yaml': 'a: { $include: b.yaml }\n',
      'b.yaml': 'b: { $include: b.yaml }\n',
    });
    await expect(loadConfig({ cwd: cycle, argv: [], env: {} })).rejects.toThrow(
      `Failed to load config file '${join(cycle, 'b.yaml')}': '$include' at 'a.b' includes itself`,
    );

    const missing = workspace({ 'app-config.yaml': 'a: { $file: nope.txt }\n' });
    await expect(loadConfig({ cwd: missing, argv: [], env: {} })).rejects.toThrow(
      `'$file' at 'a': cannot read '${join(missing, 'nope.txt')}': ENOENT`,
    );
  });

  it('should apply APP_CONFIG_ overrides last, parsing JSON values', async () => {
    const root = workspace({
      'app-config.yaml': 'backend:\n  listen: { port: 7007, host: h }\n  baseUrl: ${BASE}\n',
    });

    const env = {
      BASE: 'http://b',
      APP_CONFIG_backend_listen_port: '7017',
      APP_CONFIG_backend_name: 'not json',
      APP_CONFIG_backend_cors: '{"origin": ["http://x"]}',
    };
    const loaded = await loadConfig({ cwd: root, argv: [], env });

    expect(loaded.data).toEqual({
      backend: {
        listen: { port: 7017, host: 'h' },
        baseUrl: 'http://b',
        name: 'not json',
        cors: { origin: ['http://x'] },
      },
    });
  });

  it('should refuse a remote --config unless remote config is enabled', async () => {
    await expect(
      loadConfig({ argv: ['--config', 'https://config.example/app.yaml'], env: {} }),
    ).rejects.toThrow(
      "Cannot load remote config 'https://config.example/app.yaml': remote config is off; create the rootConfig factory with rootConfigServiceFactory({ remote: {} }) to allow URLs",
    );
  });

  it('should read a remote --config and resolve its relative includes as URLs', async () => {
    const files: Record<string, string> = {
      'https://config.example/app.yaml': 'a: { $include: parts/b.yaml }\n',
      'https://config.example/parts/b.yaml': 'b: 1\n',
    };
    const readText = async (location: string) => files[location];

    const loaded = await loadConfig({
      argv: ['--config', 'https://config.example/app.yaml'],
      env: {},
      remote: {},
      readText,
    });

    expect(loaded.data).toEqual({ a: { b: 1 } });
  });
});

describe('readEnvOverrides', () => {
  it('should explain conflicting and malformed variables', () => {
    expect(() => readEnvOverrides({ APP_CONFIG_a: '1', APP_CONFIG_a_b: '2' })).toThrow(
      "Config overrides 'APP_CONFIG_a' and 'APP_CONFIG_a_b' conflict: one sets a value where the other needs an object; remove one of them",
    );
    expect(() => readEnvOverrides({ APP_CONFIG_a__b: '1' })).toThrow(
      "Invalid config override 'APP_CONFIG_a__b': the key path has an empty part",
    );
  });
});

describe('readConfigArgs', () => {
  it('should collect repeated --config values and reject a missing value', () => {
    expect(readConfigArgs(['--config', 'a.yaml', '--other', '--config=b.yaml'])).toEqual([
      'a.yaml',
      'b.yaml',
    ]);
    expect(() => readConfigArgs(['--config'])).toThrow(
      "The '--config' argument needs a value: pass --config <path-or-url>",
    );
  });
});

describe('substituteEnv', () => {
  it('should substitute several variables and trim names', () => {
    expect(substituteEnv('${ A }-${B}', { A: '1', B: '2' })).toBe('1-2');
    expect(substituteEnv('$${A} ${A}', { A: '1' })).toBe('${A} 1');
  });
});

describe('findWorkspaceRoot', () => {
  it('should fall back to the starting directory when no workspace root exists', () => {
    const root = workspace({ 'package.json': '{"name":"x"}' });

    expect(findWorkspaceRoot(root)).toBe(root);
  });
});
