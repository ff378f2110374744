import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTempDir,
  createTestEnvironment,
  WORKSPACE_PACKAGE_JSON,
} from '../__fixtures__/testEnvironment';
import { runCli } from '../main';
import { formatFinding } from './formatFinding';
import { lintPackage } from './lintPackage';

const FIXTURES = join(__dirname, '__fixtures__');
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

function lintFixture(name: string): string[] {
  return lintPackage(join(FIXTURES, name)).map(finding => formatFinding(finding, FIXTURES));
}

describe('lintPackage', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function plugin(files: Record<string, string>): string {
    const temp = createTempDir({
      'package.json': JSON.stringify({ name: '@internal/plugin-demo-backend' }),
      ...files,
    });
    cleanups.push(temp.remove);
    return temp.dir;
  }

  it('should find module-level state that is changed inside functions', () => {
    const fix =
      "keep the state in the plugin's database or cache service, or create it inside the plugin's init";
    expect(lintFixture('module-state')).toEqual([
      `module-state/src/service/router.ts:3:5  no-module-state  module-level 'let requestCount' is state in one process; with two replicas each keeps its own copy — ${fix}`,
      `module-state/src/service/router.ts:4:7  no-module-state  module-level Map 'seenUsers' is changed inside a function (line 25); with two replicas each keeps its own copy — ${fix}`,
      `module-state/src/service/router.ts:5:7  no-module-state  module-level array 'recentPaths' is changed inside a function (line 26); with two replicas each keeps its own copy — ${fix}`,
      `module-state/src/service/router.ts:6:7  no-module-state  module-level object 'settings' is changed inside a function (line 31); with two replicas each keeps its own copy — ${fix}`,
    ]);
  });

  it('should find routes written with the /api/<pluginId> prefix, not client calls', () => {
    expect(lintFixture('api-prefix-route')).toEqual([
      "api-prefix-route/src/service/router.ts:11:14  no-api-prefix-route  route '/api/todo/items' starts with '/api/'; the backend mounts the plugin's router at '/api/todo', so it is served at '/api/todo/api/todo/items' — write the path relative to the plugin: '/items'",
    ]);
  });

  it('should find auth policy paths that contain /api/, saying what the backend does with each', () => {
    const file = 'api-prefix-auth-policy/src/plugin.ts';
    expect(lintFixture('api-prefix-auth-policy')).toEqual([
      `${file}:15:42  no-api-prefix-auth-policy  auth policy path '/api/todo/health' contains '/api/'; policy paths are relative to the plugin's '/api/todo', so the backend refuses it when the plugin starts: addAuthPolicy throws and the plugin fails to start — use '/health'`,
      `${file}:17:42  no-api-prefix-auth-policy  auth policy path '/api/status' contains '/api/'; policy paths are relative to the plugin's '/api/todo', so it opens '/api/todo/api/status' and the route it was meant for stays closed — use '/status'`,
    ]);
  });

  it('should describe both outcomes of an /api/ auth policy path when the plugin id is unknown', () => {
    const dir = plugin({
      'package.json': JSON.stringify({ name: 'helpers' }),
      'src/policies.ts':
        "httpRouter.addAuthPolicy({ path: '/api/x/health', allow: 'unauthenticated' });\n",
    });

    expect(lintPackage(dir).map(finding => `${finding.message} — ${finding.fix}`)).toEqual([
      "auth policy path '/api/x/health' contains '/api/'; policy paths are relative to the plugin's '/api/<pluginId>': the backend refuses a path with that prefix when the plugin starts, so the plugin fails to start, and any other '/api/' path opens a path below '/api/<pluginId>/api/' while the route it was meant for stays closed — use '/x/health'",
    ]);
  });

  it("should find imports of another plugin's backend package or folder, not type-only ones", () => {
    const fix =
      "call its HTTP API (discovery and auth services), or use the service refs and extension points of its '-node' package";
    const file = 'cross-plugin-import/plugins/orders-backend/src/orders.ts';
    expect(lintFixture('cross-plugin-import/plugins/orders-backend')).toEqual([
      `${file}:2:28  no-cross-plugin-import  imports '../../billing-backend/src/prices', code from another plugin's backend folder 'plugins/billing-backend'; plugins must not share code or memory directly — ${fix}`,
      `${file}:5:25  no-cross-plugin-import  imports '@internal/plugin-billing-backend', code from another plugin's backend package; plugins must not share code or memory directly — ${fix}`,
    ]);
  });

  it('should find route handlers that swallow errors, and async ones whose rejection hangs on Express 4', () => {
    const file = 'silent-catch/src/service/router.ts';
    const silentFix = 'call next(error) in the catch block, or send an error response';
    const notForwarded = "Express 4 does not pass an async handler's rejection to next()";
    const orPromiseRouter = 'or create the router with express-promise-router';
    const wrapFix = `wrap the handler's body in try { … } catch (error) { next(error); }, ${orPromiseRouter}`;

    const findings = lintFixture('silent-catch').filter(finding => finding.startsWith(file));

    expect(findings).toEqual([
      `${file}:17:7  no-silent-catch  the catch block in the handler of 'GET /items' neither responds nor calls next(), so the request hangs on errors — ${silentFix}`,
      `${file}:42:7  no-silent-catch  the catch block in the handler of 'GET /rethrown' rethrows; ${notForwarded}, so the request hangs — call next(error) in the catch block instead of throwing, ${orPromiseRouter}`,
      `${file}:51:7  no-silent-catch  the catch block in the handler of 'GET /named' neither responds, calls next() nor rethrows, so the request hangs on errors — ${silentFix}`,
      `${file}:57:14  no-silent-catch  the async handler of 'GET /unguarded' awaits outside any try/catch; ${notForwarded}, so the request hangs if that await rejects — ${wrapFix}`,
      `${file}:62:7  no-silent-catch  the async handler of 'GET /checked-first' throws outside any try/catch; ${notForwarded}, so the request hangs — ${wrapFix}`,
      `${file}:75:7  no-silent-catch  the catch block in the handler of 'GET /audited' awaits outside any try/catch; ${notForwarded}, so the request hangs if that await rejects — give that await its own try/catch so that next(error) still runs, ${orPromiseRouter}`,
    ]);
  });

  it('should let express-promise-router handlers rethrow and await, but not swallow errors', () => {
    const file = 'silent-catch/src/service/promiseRouter.ts';

    const findings = lintFixture('silent-catch').filter(finding => finding.startsWith(file));

    expect(findings).toEqual([
      `${file}:27:7  no-silent-catch  the catch block in the handler of 'GET /swallowed' neither responds, calls next() nor rethrows, so the request hangs on errors — call next(error) in the catch block, or send an error response`,
    ]);
  });

  it('should trace express-promise-router through require, namespace imports and route chains', () => {
    const dir = plugin({
      'src/router.ts': [
        "import * as promiseRouter from 'express-promise-router';",
        "import PromiseRouter = require('express-promise-router');",
        "const createRouter = require('express-promise-router');",
        'export const a = promiseRouter.default();',
        'export const b = PromiseRouter();',
        'export const c = createRouter();',
        "export const d = require('express-promise-router')();",
        "a.get('/a', async () => { throw new Error('a'); });",
        "b.route('/b').get(async () => { throw new Error('b'); });",
        "c.post('/c', async () => { throw new Error('c'); });",
        "d.put('/d', async () => { throw new Error('d'); });",
      ].join('\n'),
    });

    expect(lintPackage(dir)).toEqual([]);
  });

  it('should let async handlers reject when the package runs Express 5', () => {
    const handler = [
      "import express from 'express';",
      'export const router = express.Router();',
      "router.get('/items', async (_req, res) => {",
      '  res.json(await Promise.resolve([]));',
      '});',
    ].join('\n');
    const express4 = plugin({
      'node_modules/express/package.json': '{"name":"express","version":"4.22.3"}',
      'src/router.ts': handler,
    });
    const express5 = plugin({
      'node_modules/express/package.json': '{"name":"express","version":"5.1.0"}',
      'src/router.ts': handler,
    });

    expect(lintPackage(express4).map(finding => `${finding.line}:${finding.column}`)).toEqual([
      '4:12',
    ]);
    expect(lintPackage(express5)).toEqual([]);
  });

  it('should stay quiet on a clean plugin', () => {
    expect(lintFixture('clean')).toEqual([]);
  });

  it('should let a backend that calls createBackend() import and add plugin packages', () => {
    expect(lintFixture('backend-package')).toEqual([]);
  });

  it("should let a package with backstage.role 'backend' import plugin packages", () => {
    const source = "import { plugins } from './plugins';\nexport { plugins };\n";
    const imports = "export const plugins = [import('@internal/plugin-todo-backend')];\n";
    const backend = plugin({
      'package.json': JSON.stringify({ name: 'backend', backstage: { role: 'backend' } }),
      'src/index.ts': source,
      'src/plugins.ts': imports,
    });
    const library = plugin({ 'src/index.ts': source, 'src/plugins.ts': imports });

    expect(lintPackage(backend)).toEqual([]);
    expect(lintPackage(library).map(finding => finding.ruleId)).toEqual(['no-cross-plugin-import']);
  });

  it('should check static imports and re-exports of backend packages, but not their own package', () => {
    const dir = plugin({
      'src/index.ts': [
        "import { catalogPlugin } from '@backstage/plugin-catalog-backend';",
        "export * from '@backstage/plugin-search-backend-module-catalog/alpha';",
        "import type { Config } from '@backstage/plugin-auth-backend';",
        "import { type Other } from '@internal/plugin-other-backend';",
        "import { helper } from '@internal/plugin-demo-backend';",
        "import { catalogServiceRef } from '@backstage/plugin-catalog-node';",
        'export { catalogPlugin, helper, catalogServiceRef };',
        'export type { Config, Other };',
      ].join('\n'),
    });

    const findings = lintPackage(dir).map(finding => [finding.line, finding.message]);

    expect(findings).toEqual([
      [
        1,
        "imports '@backstage/plugin-catalog-backend', code from another plugin's backend package; plugins must not share code or memory directly",
      ],
      [
        2,
        "imports '@backstage/plugin-search-backend-module-catalog/alpha', code from another plugin's backend package '@backstage/plugin-search-backend-module-catalog'; plugins must not share code or memory directly",
      ],
    ]);
  });

  it('should skip test files, declaration files and fixtures', () => {
    const dir = plugin({
      'src/plugin.test.ts': 'let backend: unknown;\nexport { backend };\n',
      'src/types.d.ts': 'declare let value: number;\n',
      'src/__fixtures__/state.ts': 'export let counter = 0;\n',
      'src/index.ts': 'export const answer = 42;\n',
    });

    expect(lintPackage(dir)).toEqual([]);
  });

  it('should leave ambient declarations and local variables alone', () => {
    const dir = plugin({
      'src/globals.ts': [
        'declare let injected: string;',
        'export function read(): string {',
        '  let value = injected;',
        "  value += '!';",
        '  return value;',
        '}',
      ].join('\n'),
    });

    expect(lintPackage(dir)).toEqual([]);
  });

  it('should find handlers of error middleware and `router.route()` chains', () => {
    const dir = plugin({
      'src/router.ts': [
        "import express from 'express';",
        'export const router = express.Router();',
        "router.route('/api/items').get(async (_req, res) => {",
        '  try {',
        '    res.json([]);',
        '  } catch (error) {',
        '    console.error(error);',
        '  }',
        '});',
        'router.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {',
        '  try {',
        '    res.status(500).end();',
        '  } catch {',
        '    next(error);',
        '  }',
        '});',
      ].join('\n'),
    });

    const findings = lintPackage(dir).map(
      finding => `${finding.line}:${finding.column} ${finding.ruleId}`,
    );

    expect(findings).toEqual(['3:14 no-api-prefix-route', '6:5 no-silent-catch']);
  });

  it('should report a file it cannot parse at its first syntax error, and check the others', () => {
    const dir = plugin({
      'src/broken.ts': 'export function ( {{{\n',
      'src/service/router.ts': "router.get('/api/demo/items', (req, res) => res.json([]));\n",
    });

    expect(lintPackage(dir).map(finding => formatFinding(finding, dir))).toEqual([
      'src/broken.ts:1:17  parse-error  cannot parse the file: Identifier expected; no rule checked it — fix the syntax error (tsc and your editor show it too) and lint again',
      "src/service/router.ts:1:12  no-api-prefix-route  route '/api/demo/items' starts with '/api/'; the backend mounts the plugin's router at '/api/demo', so it is served at '/api/demo/api/demo/items' — write the path relative to the plugin: '/items'",
    ]);
  });

  it('should not run the rules on a file that does not parse', () => {
    // Without the syntax error, 'let count' would be no-module-state.
    const dir = plugin({ 'src/state.ts': 'let count = 0;\nexport const f = ) => count++;\n' });

    expect(lintPackage(dir).map(finding => finding.ruleId)).toEqual(['parse-error']);
  });

  it("should fail with the fix when the folder has no 'src'", () => {
    const dir = plugin({});

    expect(() => lintPackage(dir)).toThrow(
      `there is no 'src' folder in '${dir}' — run backplane lint in a plugin package folder, or pass one: backplane lint plugins/example-backend`,
    );
  });

  it('should stay quiet on a freshly generated plugin and module', async () => {
    const temp = createTempDir({ 'package.json': WORKSPACE_PACKAGE_JSON });
    cleanups.push(temp.remove);
    const env = createTestEnvironment(temp.dir);
    await runCli(['new', '--select', 'backend-plugin', '--option', 'pluginId=example'], env);
    await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=example',
        '--option',
        'moduleId=foo',
      ],
      env,
    );

    expect(lintPackage(join(temp.dir, 'plugins/example-backend'))).toEqual([]);
    expect(lintPackage(join(temp.dir, 'plugins/example-backend-module-foo'))).toEqual([]);
  });

  it('should stay quiet on the example backend of this repository, which adds plugins', () => {
    expect(lintPackage(join(REPO_ROOT, 'examples/backend'))).toEqual([]);
  });

  it('should stay quiet on the plugins of this repository', () => {
    const pluginsDir = join(REPO_ROOT, 'plugins');
    const names = existsSync(pluginsDir) ? readdirSync(pluginsDir) : [];
    const linted = names.filter(name => existsSync(join(pluginsDir, name, 'src')));
    const findings = linted
      .flatMap(name => lintPackage(join(pluginsDir, name)))
      .map(finding => `${formatFinding(finding, REPO_ROOT).split('  ')[0]} ${finding.ruleId}`);

    expect(linted.length).toBeGreaterThanOrEqual(3);
    expect(findings).toEqual([]);
  });
});

describe('backplane lint', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  it('should print each finding on one line and exit with 1', async () => {
    const env = createTestEnvironment(FIXTURES);

    const code = await runCli(['lint', 'api-prefix-route', 'clean'], env);

    expect(code).toBe(1);
    expect(env.output.stdout).toBe(
      "api-prefix-route/src/service/router.ts:11:14  no-api-prefix-route  route '/api/todo/items' starts with '/api/'; the backend mounts the plugin's router at '/api/todo', so it is served at '/api/todo/api/todo/items' — write the path relative to the plugin: '/items'\n",
    );
    expect(env.output.stderr).toBe('1 problem found\n');
  });

  it('should print nothing and exit with 0 on a clean plugin', async () => {
    const env = createTestEnvironment(join(FIXTURES, 'clean'));

    const code = await runCli(['lint'], env);

    expect(code).toBe(0);
    expect(env.output).toEqual({ stdout: '', stderr: '' });
  });

  it('should report a file it cannot parse with its line and column, and exit with 1', async () => {
    const temp = createTempDir({ 'src/broken.ts': 'export function ( {{{\n' });
    cleanups.push(temp.remove);
    const env = createTestEnvironment(temp.dir);

    const code = await runCli(['lint'], env);

    expect(code).toBe(1);
    expect(env.output).toEqual({
      stdout:
        'src/broken.ts:1:17  parse-error  cannot parse the file: Identifier expected; no rule checked it — fix the syntax error (tsc and your editor show it too) and lint again\n',
      stderr: '1 problem found\n',
    });
  });

  it('should say so in one line when a folder does not exist, or is a file', async () => {
    const missing = createTestEnvironment(FIXTURES);
    const file = createTestEnvironment(FIXTURES);

    const missingCode = await runCli(['lint', 'no-such-plugin'], missing);
    const fileCode = await runCli(['lint', 'clean/package.json'], file);

    expect(missingCode).toBe(1);
    expect(missing.output.stderr).toBe(
      "error: the folder 'no-such-plugin' does not exist — check the path: pass a package folder, for example backplane lint plugins/example-backend\n",
    );
    expect(fileCode).toBe(1);
    expect(file.output.stderr).toBe(
      "error: 'clean/package.json' is a file, not a package folder — pass the folder of the package, for example backplane lint plugins/example-backend\n",
    );
  });

  it('should fail in one line when a folder has no src', async () => {
    const env = createTestEnvironment(FIXTURES);

    const code = await runCli(['lint', 'cross-plugin-import'], env);

    expect(code).toBe(1);
    expect(env.output.stderr).toBe(
      `error: there is no 'src' folder in 'cross-plugin-import' — run backplane lint in a plugin package folder, or pass one: backplane lint plugins/example-backend\n`,
    );
  });
});
