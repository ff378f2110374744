import { join } from 'node:path';
import { packageVersions } from './packageVersions';
import { renderTemplate } from './renderTemplate';
import type { TemplateId } from './templateCatalog';

/** What to generate: the answers to `backplane new`, already checked. */
export interface PackageRequest {
  template: TemplateId;
  pluginId: string;
  /** Required for `backend-module`. */
  moduleId?: string;
  /** A code owner such as `@org/team`; empty for none. */
  owner: string;
}

/** The files of a new package, before anything is written. */
export interface PackagePlan {
  /** `plugin` or `module`, for messages. */
  kind: 'plugin' | 'module';
  /** The folder of the package relative to the repository root, like `plugins/example-backend`. */
  relativeDir: string;
  packageName: string;
  /** File contents by path relative to the package folder. */
  files: Map<string, string>;
}

const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

/** Works out the folder, package name and file contents of a new plugin or module package. */
export function planPackage(request: PackageRequest): PackagePlan {
  const { template, pluginId, owner } = request;
  const isModule = template === 'backend-module';
  const moduleId = request.moduleId ?? '';

  const dirName = isModule ? `${pluginId}-backend-module-${moduleId}` : `${pluginId}-backend`;
  const packageName = `@internal/plugin-${dirName}`;
  const pluginVar = `${camelCase(pluginId)}Plugin`;
  const values = {
    pluginId,
    moduleId,
    packageName,
    pluginVar,
    moduleVar: `${camelCase(pluginId)}Module${pascalCase(moduleId)}`,
    ownerLine: owner ? `\nOwned by ${owner}.` : '',
  };

  const files = renderTemplate(join(TEMPLATES_DIR, template), values);
  files.set('package.json', `${JSON.stringify(packageJson(request, packageName), null, 2)}\n`);

  return {
    kind: isModule ? 'module' : 'plugin',
    relativeDir: `plugins/${dirName}`,
    packageName,
    files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function packageJson(request: PackageRequest, packageName: string) {
  const isModule = request.template === 'backend-module';
  const versions = packageVersions();
  const pick = (names: string[]) =>
    Object.fromEntries(names.sort().map(name => [name, versions[name]]));

  const description = isModule
    ? `The ${request.moduleId} module of the ${request.pluginId} backend plugin`
    : `The ${request.pluginId} backend plugin`;
  return {
    name: packageName,
    version: '0.1.0',
    description,
    private: true,
    license: 'Apache-2.0',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist'],
    backstage: {
      role: isModule ? 'backend-plugin-module' : 'backend-plugin',
      pluginId: request.pluginId,
    },
    scripts: { build: 'tsc', test: 'backplane test', lint: 'backplane lint' },
    dependencies: pick(
      isModule
        ? ['@backplane/plugin-api']
        : ['@backplane/plugin-api', 'express', 'express-promise-router'],
    ),
    devDependencies: pick([
      '@backplane/cli',
      '@backplane/test-utils',
      '@types/node',
      'typescript',
      'vitest',
      ...(isModule ? [] : ['@types/express', '@types/supertest', 'supertest']),
    ]),
  };
}

function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_match, char: string) => char.toUpperCase());
}

function pascalCase(id: string): string {
  const camel = camelCase(id);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
