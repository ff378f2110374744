import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTempDir,
  createTestEnvironment,
  queuedPrompter,
  WORKSPACE_PACKAGE_JSON,
} from '../__fixtures__/testEnvironment';
import { runCli } from '../main';

const BACKEND_INDEX = [
  "import { createBackend } from '@backplane/defaults';",
  '',
  'const backend = createBackend();',
  '',
  "backend.add(import('@backplane/plugin-example-backend'));",
  '',
  'backend.start();',
  '',
].join('\n');

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(path => path.split('\\').join('/'))
    .sort();
}

function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

describe('backplane new', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function repo(files: Record<string, string> = {}) {
    const temp = createTempDir({ 'package.json': WORKSPACE_PACKAGE_JSON, ...files });
    cleanups.push(temp.remove);
    return temp.dir;
  }

  it('should write a backend plugin package from the non-interactive form', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=example', '--option', 'owner='],
      env,
    );

    expect(code).toBe(0);
    expect(listTree(join(root, 'plugins'))).toEqual([
      'example-backend',
      'example-backend/README.md',
      'example-backend/package.json',
      'example-backend/src',
      'example-backend/src/index.ts',
      'example-backend/src/plugin.test.ts',
      'example-backend/src/plugin.ts',
      'example-backend/src/service',
      'example-backend/src/service/router.ts',
      'example-backend/tsconfig.json',
    ]);
    expect(env.output.stdout).toContain(
      "Created plugin 'example' in plugins/example-backend (@internal/plugin-example-backend)\n",
    );
    expect(env.output.stderr).toBe('');

    const pkg = JSON.parse(read(root, 'plugins/example-backend/package.json'));
    expect(pkg).toMatchObject({
      name: '@internal/plugin-example-backend',
      backstage: { role: 'backend-plugin', pluginId: 'example' },
      scripts: { build: 'tsc', test: 'backplane test', lint: 'backplane lint' },
      exports: {
        '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      },
    });
    expect(pkg.dependencies).toEqual({
      '@backplane/plugin-api': '^0.1.0',
      express: '^4.22.3',
      'express-promise-router': '^4.1.1',
    });
    expect(Object.keys(pkg.devDependencies)).toEqual(
      expect.arrayContaining(['@backplane/test-utils', 'supertest', 'vitest', 'typescript']),
    );

    const plugin = read(root, 'plugins/example-backend/src/plugin.ts');
    expect(plugin).toContain('export const examplePlugin = createBackendPlugin({');
    expect(plugin).toContain("pluginId: 'example',");
    expect(plugin).toContain(
      "httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });",
    );
    for (const dep of ['httpRouter', 'logger', 'httpAuth', 'userInfo', 'database']) {
      expect(plugin).toContain(`${dep}: coreServices.${dep},`);
    }
    const router = read(root, 'plugins/example-backend/src/service/router.ts');
    expect(router).toContain("import Router from 'express-promise-router';");
    expect(router).toContain('const router = Router();');
    expect(router).toContain("res.json({ status: 'ok' });");
    expect(read(root, 'plugins/example-backend/src/index.ts')).toContain(
      "export { examplePlugin as default } from './plugin';",
    );
    const test = read(root, 'plugins/example-backend/src/plugin.test.ts');
    expect(test).toContain(
      "import { mockCredentials, startTestBackend } from '@backplane/test-utils';",
    );
    expect(test).toContain("request(server).get('/api/example/health')");
    expect(test).toContain(".set('Authorization', mockCredentials.service.header())");
    expect(read(root, 'plugins/example-backend/README.md')).not.toContain('{{');
  });

  it('should write a module package named after its plugin and module ids', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
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

    expect(code).toBe(0);
    const dir = 'plugins/example-backend-module-foo';
    expect(listTree(join(root, dir))).toEqual([
      'README.md',
      'package.json',
      'src',
      'src/index.ts',
      'src/module.test.ts',
      'src/module.ts',
      'tsconfig.json',
    ]);
    expect(JSON.parse(read(root, `${dir}/package.json`)).name).toBe(
      '@internal/plugin-example-backend-module-foo',
    );
    const module = read(root, `${dir}/src/module.ts`);
    expect(module).toContain('export const exampleModuleFoo = createBackendModule({');
    expect(module).toContain("moduleId: 'foo',");
    expect(module).toContain("logger.info('Module foo of plugin example is ready');");
    expect(read(root, `${dir}/src/module.test.ts`)).toContain(
      "expect(logger.info).toHaveBeenCalledWith('Module foo of plugin example is ready');",
    );
    expect(env.output.stdout).toContain(
      "Created module 'foo' of plugin 'example' in plugins/example-backend-module-foo",
    );
  });

  it('should give the new folders the usual permissions', async () => {
    const root = repo();

    await runCli(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=example'],
      createTestEnvironment(root),
    );

    expect(statSync(join(root, 'plugins/example-backend')).mode & 0o077).toBe(
      statSync(join(root, 'plugins')).mode & 0o077,
    );
  });

  it('should find the repository root from a folder inside it', async () => {
    const root = repo({ 'packages/other/package.json': '{"name":"other"}' });

    await runCli(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=example'],
      createTestEnvironment(join(root, 'packages/other')),
    );

    expect(listTree(join(root, 'plugins'))).toContain('example-backend/package.json');
  });

  it('should write under --target-dir when it is given, and say where from the current folder', async () => {
    const root = repo({ 'elsewhere/package.json': WORKSPACE_PACKAGE_JSON });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=example',
        '--target-dir',
        'elsewhere',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(listTree(join(root, 'elsewhere'))).toContain('plugins/example-backend/src/plugin.ts');
    expect(env.output.stdout).toContain(
      "Created plugin 'example' in elsewhere/plugins/example-backend (@internal/plugin-example-backend)\n",
    );
    expect(env.output.stdout).toContain("then 'npm test' in elsewhere/plugins/example-backend.\n");
  });

  it('should print the absolute path when --target-dir is outside the current folder', async () => {
    const root = repo();
    const cwd = join(root, 'packages');
    mkdirSync(cwd);
    const env = createTestEnvironment(cwd);

    await runCli(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=example', '--target-dir', '..'],
      env,
    );

    expect(env.output.stdout).toContain(
      `Created plugin 'example' in ${join(root, 'plugins/example-backend')} (@internal/plugin-example-backend)\n`,
    );
  });

  it('should refuse a --target-dir that does not exist, naming it, and create nothing', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=example',
        '--target-dir',
        'elsewhere',
      ],
      env,
    );

    expect(code).toBe(1);
    expect(env.output.stderr).toBe(
      "error: the target folder 'elsewhere' does not exist — create it first (mkdir -p 'elsewhere'), or pass the repository root with --target-dir\n",
    );
    expect(listTree(root)).toEqual(['package.json']);
  });

  it.each(['', ' '])(
    'should refuse an empty --target-dir %j as a usage error, and create nothing',
    async targetDir => {
      const root = repo();
      mkdirSync(join(root, 'plugins'));
      const env = createTestEnvironment(join(root, 'plugins'));

      const code = await runCli(
        [
          'new',
          '--select',
          'backend-plugin',
          '--option',
          'pluginId=example',
          '--target-dir',
          targetDir,
        ],
        env,
      );

      expect(code).toBe(2);
      expect(env.output.stderr).toBe(
        'error: option --target-dir is empty — pass the repository root, for example --target-dir ., or leave the option out\n',
      );
      expect(listTree(root)).toEqual(['package.json', 'plugins']);
    },
  );

  it.each([
    [
      'pluginId=MyPlugin',
      "error: plugin id 'MyPlugin' is not valid: use lowercase letters, digits and single dashes, starting with a letter — use 'my-plugin'\n",
    ],
    [
      'pluginId=my plugin',
      "error: plugin id 'my plugin' is not valid: use lowercase letters, digits and single dashes, starting with a letter — use 'my-plugin'\n",
    ],
    [
      'pluginId=Backstage',
      "error: plugin id 'Backstage' is not valid: use lowercase letters, digits and single dashes, starting with a letter — 'backstage' is reserved: choose an id that names what the plugin does, for example 'backstage-tools'\n",
    ],
    [
      'pluginId=api',
      "error: plugin id 'api' is reserved: the backend would serve it at '/api/api' — choose an id that names what the plugin does, for example 'api-tools'\n",
    ],
    [
      'pluginId=backstage',
      "error: plugin id 'backstage' is reserved: it is the name of the framework Backplane is compatible with — choose an id that names what the plugin does, for example 'backstage-tools'\n",
    ],
    [
      'pluginId=todo-backend',
      "error: plugin id 'todo-backend' ends with '-backend', which the folder and package name add — use 'todo'\n",
    ],
    [
      'pluginId=existing',
      "error: cannot create plugin 'existing': the folder 'plugins/existing-backend' already exists — choose another plugin id, or remove that folder first\n",
    ],
    [
      `pluginId=${'a'.repeat(300)}`,
      `error: plugin id '${'a'.repeat(24)}…' is 300 characters long; at most 46 fit, since the backend names the plugin's PostgreSQL database 'backstage_plugin_<pluginId>' and PostgreSQL allows 63 — choose an id of at most 46 characters\n`,
    ],
    [
      'pluginId=',
      'error: no plugin id given — pass one with --option pluginId=<id>, for example --option pluginId=example\n',
    ],
  ])('should reject %s with one line and write nothing', async (option, message) => {
    const root = repo({ 'plugins/existing-backend/keep.txt': 'mine' });
    const before = listTree(root);
    const env = createTestEnvironment(root);

    const code = await runCli(['new', '--select', 'backend-plugin', '--option', option], env);

    // A missing id is a usage error; an id the command refuses is a failure.
    expect(code).toBe(option === 'pluginId=' ? 2 : 1);
    expect(env.output.stderr).toBe(message);
    expect(env.output.stdout).toBe('');
    expect(listTree(root)).toEqual(before);
  });

  it('should reject a module id in capitals and write nothing', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=example',
        '--option',
        'moduleId=GitHub',
      ],
      env,
    );

    expect(code).toBe(1);
    expect(env.output.stderr).toBe(
      "error: module id 'GitHub' is not valid: use lowercase letters, digits and single dashes, starting with a letter — use 'git-hub'\n",
    );
    expect(listTree(root)).toEqual(['package.json']);
  });

  it('should reject a module whose folder exists with one line and write nothing', async () => {
    const root = repo({ 'plugins/example-backend-module-foo/keep.txt': 'mine' });
    const before = listTree(root);
    const env = createTestEnvironment(root);

    const code = await runCli(
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

    expect(code).toBe(1);
    expect(env.output.stderr).toBe(
      "error: cannot create module 'foo' of plugin 'example': the folder 'plugins/example-backend-module-foo' already exists — choose another module id, or remove that folder first\n",
    );
    expect(env.output.stdout).toBe('');
    expect(listTree(root)).toEqual(before);
    expect(read(root, 'plugins/example-backend-module-foo/keep.txt')).toBe('mine');
  });

  it('should warn, naming the folder it looked for, when the plugin of a module is not in the repository', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=catalog',
        '--option',
        'moduleId=extra',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(env.output.stderr).toBe(
      "warning: found no plugin 'catalog' in this repository (looked for the folder 'plugins/catalog-backend'); the module was written for a plugin installed from npm — if you meant a plugin of this repository, check the plugin id\n",
    );
    expect(listTree(join(root, 'plugins'))).toContain('catalog-backend-module-extra/src/module.ts');
  });

  it.each([
    ['in its usual folder', 'plugins/catalog-backend/package.json', '{"name":"catalog"}'],
    [
      'declared by a package in another folder',
      'plugins/catalog-server/package.json',
      JSON.stringify({ backstage: { role: 'backend-plugin', pluginId: 'catalog' } }),
    ],
  ])('should not warn when the plugin of a module is %s', async (_case, path, content) => {
    const root = repo({ [path]: content, 'plugins/broken/package.json': '{' });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=catalog',
        '--option',
        'moduleId=extra',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(env.output.stderr).toBe('');
  });

  it('should accept a reserved plugin id as the plugin a module extends', async () => {
    const root = repo();

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=app',
        '--option',
        'moduleId=extra',
      ],
      createTestEnvironment(root),
    );

    expect(code).toBe(0);
    expect(listTree(join(root, 'plugins'))).toContain('app-backend-module-extra/src/module.ts');
  });

  it.each([
    [
      ['--option', 'pluginId=x', '--option', 'color=red'],
      "error: template 'backend-plugin' has no option 'color' — use one of: pluginId, owner, addToBackend\n",
    ],
    [
      ['--option', 'pluginId'],
      "error: option 'pluginId' is not in the form key=value — write it as --option pluginId=<value>\n",
    ],
    [
      ['--option', 'pluginId=x', '--option', 'pluginId=y'],
      "error: option 'pluginId' is given twice, as 'pluginId=x' and as 'pluginId=y' — pass --option pluginId=<value> once\n",
    ],
    [
      ['--option', 'owner=', '--option', 'pluginId=x', '--option', 'owner='],
      "error: option 'owner' is given twice, as 'owner=' and as 'owner=' — pass --option owner=<value> once\n",
    ],
    [
      ['--option', 'pluginId=x', '--option', 'addToBackend=yes'],
      "error: option 'addToBackend' must be true or false, not 'yes' — write --option addToBackend=true or --option addToBackend=false\n",
    ],
  ])('should reject the options %j as a usage error', async (args, message) => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(['new', '--select', 'backend-plugin', ...args], env);

    expect(code).toBe(2);
    expect(env.output.stderr).toBe(message);
    expect(listTree(root)).toEqual(['package.json']);
  });

  it('should ask for the template as a usage error when there is no terminal to ask on', async () => {
    const env = createTestEnvironment(repo());

    const code = await runCli(['new'], env);

    expect(code).toBe(2);
    expect(env.output.stderr).toBe(
      'error: no template selected and no terminal to ask on — pass --select with one of: backend-plugin, backend-module\n',
    );
  });

  it('should ask for the plugin id as a usage error when there is no terminal to ask on', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(['new', '--select', 'backend-plugin'], env);

    expect(code).toBe(2);
    expect(env.output.stderr).toBe(
      'error: no plugin id given — pass one with --option pluginId=<id>, for example --option pluginId=example\n',
    );
    expect(listTree(root)).toEqual(['package.json']);
  });

  it('should reject an unknown template as a usage error', async () => {
    const env = createTestEnvironment(repo());

    const code = await runCli(['new', '--select', 'frontend-plugin'], env);

    expect(code).toBe(2);
    expect(env.output.stderr).toBe(
      "error: option '--select <template>' argument 'frontend-plugin' is invalid. Allowed choices are backend-plugin, backend-module — see 'backplane new --help'\n",
    );
  });

  it('should add the plugin to the backend and its package.json with addToBackend=true', async () => {
    const root = repo({
      'examples/backend/package.json': JSON.stringify({
        name: 'backend',
        dependencies: { '@backplane/defaults': '0.1.0' },
      }),
      'examples/backend/src/index.ts': BACKEND_INDEX,
    });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=todo',
        '--option',
        'addToBackend=true',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(read(root, 'examples/backend/src/index.ts')).toBe(
      BACKEND_INDEX.replace(
        "backend.add(import('@backplane/plugin-example-backend'));",
        "backend.add(import('@backplane/plugin-example-backend'));\nbackend.add(import('@internal/plugin-todo-backend'));",
      ),
    );
    expect(JSON.parse(read(root, 'examples/backend/package.json')).dependencies).toEqual({
      '@backplane/defaults': '0.1.0',
      '@internal/plugin-todo-backend': '0.1.0',
    });
    expect(env.output.stdout).toContain(
      'Added @internal/plugin-todo-backend to examples/backend/src/index.ts\n',
    );
  });

  it("should add the dependency to the backend's package.json without reordering the others", async () => {
    const packageJson = [
      '{',
      '  "name": "backend",',
      '  "dependencies": {',
      '    "@backplane/defaults": "0.1.0",',
      '    "@backplane/plugin-example-backend": "0.1.0",',
      '    "@backplane/plugin-auth-dev-backend": "0.1.0",',
      '    "@backstage/plugin-proxy-backend": "0.6.20"',
      '  }',
      '}',
      '',
    ].join('\n');
    const root = repo({
      'examples/backend/package.json': packageJson,
      'examples/backend/src/index.ts': BACKEND_INDEX,
    });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=todo',
        '--option',
        'addToBackend=true',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(read(root, 'examples/backend/package.json')).toBe(
      packageJson.replace(
        '"0.6.20"\n',
        '"0.6.20",\n    "@internal/plugin-todo-backend": "0.1.0"\n',
      ),
    );
    expect(env.output.stdout).toContain(
      'Added @internal/plugin-todo-backend to the dependencies in examples/backend/package.json\n',
    );
  });

  it("should add the package to the root build and the backend's references with addToBackend=true", async () => {
    const buildConfig = [
      '{',
      '  "files": [],',
      '  "references": [',
      '    { "path": "packages/defaults" },',
      '    { "path": "examples/backend" }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const root = repo({
      'tsconfig.build.json': buildConfig,
      'examples/backend/package.json': JSON.stringify({ name: 'backend' }),
      'examples/backend/tsconfig.json': JSON.stringify({
        include: ['src'],
        references: [{ path: '../../packages/defaults' }],
      }),
      'examples/backend/src/index.ts': BACKEND_INDEX,
    });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=todo',
        '--option',
        'addToBackend=true',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(read(root, 'tsconfig.build.json')).toBe(
      buildConfig.replace(
        '    { "path": "examples/backend" }',
        '    { "path": "plugins/todo-backend" },\n    { "path": "examples/backend" }',
      ),
    );
    expect(JSON.parse(read(root, 'examples/backend/tsconfig.json')).references).toEqual([
      { path: '../../packages/defaults' },
      { path: '../../plugins/todo-backend' },
    ]);
    expect(env.output.stdout).toContain(
      [
        'Added plugins/todo-backend to the build in tsconfig.build.json',
        "Added plugins/todo-backend to the backend's project references in examples/backend/tsconfig.json",
        "Next: run 'npm install' so that the backend can import the new package (it links the package and installs its dependencies), then 'npm test' in plugins/todo-backend.",
        '',
      ].join('\n'),
    );
    expect(env.output.stderr).toBe('');
  });

  it('should warn when the workspaces do not cover plugins/, since npm install would not link the package', async () => {
    const root = repo({ 'package.json': JSON.stringify({ workspaces: ['packages/*'] }) });
    const env = createTestEnvironment(root);

    const code = await runCli(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=todo'],
      env,
    );

    expect(code).toBe(0);
    expect(env.output.stderr).toBe(
      `warning: the workspaces of 'package.json' do not include 'plugins/todo-backend', so 'npm install' will not link it — add "plugins/*" to "workspaces" in 'package.json'\n`,
    );
  });

  it('should add to the backend given with --backend', async () => {
    const root = repo({
      'server/index.ts': 'const backend = createBackend();\nbackend.start();\n',
    });

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-module',
        '--option',
        'pluginId=todo',
        '--option',
        'moduleId=extra',
        '--option',
        'addToBackend=true',
        '--backend',
        'server/index.ts',
      ],
      createTestEnvironment(root),
    );

    expect(code).toBe(0);
    expect(read(root, 'server/index.ts')).toBe(
      "const backend = createBackend();\nbackend.add(import('@internal/plugin-todo-backend-module-extra'));\nbackend.start();\n",
    );
  });

  it('should refuse addToBackend=true without a backend and write nothing', async () => {
    const root = repo();
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=todo',
        '--option',
        'addToBackend=true',
      ],
      env,
    );

    expect(code).toBe(1);
    expect(env.output.stderr).toBe(
      "error: no backend to add '@internal/plugin-todo-backend' to: found neither 'examples/backend/src/index.ts' nor 'packages/backend/src/index.ts' — pass --backend <path to the backend's src/index.ts>, or leave out addToBackend\n",
    );
    expect(listTree(root)).toEqual(['package.json']);
  });

  it('should ask every question in interactive mode and offer to add the plugin', async () => {
    const root = repo({
      '.github/CODEOWNERS': '* @org/maintainers\n',
      'examples/backend/src/index.ts': BACKEND_INDEX,
    });
    const prompter = queuedPrompter(['backend-plugin', 'inventory', '@org/team', true]);
    const env = createTestEnvironment(root, { isInteractive: true, prompter });

    const code = await runCli(['new'], env);

    expect(code).toBe(0);
    expect(prompter.asked).toEqual([
      'What do you want to create?',
      'Plugin id, without -backend (for example: todo):',
      'Owner (a GitHub user or team like @org/team; empty for none):',
      'Add @internal/plugin-inventory-backend to the backend in examples/backend/src/index.ts?',
    ]);
    expect(read(root, 'examples/backend/src/index.ts')).toContain(
      "backend.add(import('@internal/plugin-inventory-backend'));",
    );
    expect(read(root, '.github/CODEOWNERS')).toBe(
      '* @org/maintainers\n/plugins/inventory-backend/ @org/team\n',
    );
    expect(read(root, 'plugins/inventory-backend/README.md')).toContain('Owned by @org/team.');
  });

  it('should start a new line in CODEOWNERS when the file does not end with one', async () => {
    const root = repo({ '.github/CODEOWNERS': '* @org/maintainers' });
    const env = createTestEnvironment(root);

    const code = await runCli(
      [
        'new',
        '--select',
        'backend-plugin',
        '--option',
        'pluginId=x',
        '--option',
        'owner=@org/team',
      ],
      env,
    );

    expect(code).toBe(0);
    expect(read(root, '.github/CODEOWNERS')).toBe(
      '* @org/maintainers\n/plugins/x-backend/ @org/team\n',
    );
  });

  it('should ask for the plugin and module ids of a module, and not offer a missing backend', async () => {
    const root = repo();
    const prompter = queuedPrompter(['backend-module', 'catalog', 'github', '']);
    const env = createTestEnvironment(root, { isInteractive: true, prompter });

    const code = await runCli(['new'], env);

    expect(code).toBe(0);
    expect(prompter.asked).toEqual([
      'What do you want to create?',
      'Id of the plugin this module extends (for example: catalog):',
      'Module id (for example: github):',
      'Owner (a GitHub user or team like @org/team; empty for none):',
    ]);
    expect(listTree(join(root, 'plugins'))).toContain(
      'catalog-backend-module-github/src/module.ts',
    );
  });

  it('should turn down a bad id while asking, with the same message as the flags', async () => {
    const root = repo();
    const prompter = queuedPrompter(['Inventory']);
    const env = createTestEnvironment(root, { isInteractive: true, prompter });

    const code = await runCli(['new', '--select', 'backend-plugin'], env);

    expect(code).toBe(1);
    expect(env.output.stderr).toContain(
      "Prompt rejected 'Inventory': plugin id 'Inventory' is not valid: use lowercase letters, digits and single dashes, starting with a letter — use 'inventory'",
    );
    expect(listTree(root)).toEqual(['package.json']);
  });
});
