import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CliError, USAGE_EXIT_CODE } from '../CliError';
import type { CliEnvironment } from '../CliEnvironment';
import { findPackageDir } from '../paths/findPackageDir';
import { findRepoRoot } from '../paths/findRepoRoot';
import { readPackageJson, type PackageJson } from '../paths/readPackageJson';
import { addDependency } from './addDependency';
import { addProjectReference } from './addProjectReference';
import { addToBackend } from './addToBackend';
import { planPackage, type PackagePlan, type PackageRequest } from './planPackage';
import { DEFAULT_BACKEND_ENTRIES, resolveBackendFile } from './resolveBackendFile';
import {
  findTemplate,
  templateCatalog,
  type TemplateDefinition,
  type TemplateOptionKey,
} from './templateCatalog';
import { checkModuleId, checkPluginId, type IdProblem } from './validateIds';
import { writePackage } from './writePackage';

/** The command-line options of `backplane new`. */
export interface NewCommandOptions {
  select?: string;
  /** Raw `key=value` strings from `--option`. */
  option: string[];
  targetDir?: string;
  backend?: string;
}

/**
 * Runs `backplane new`: settles the template and its options (from flags, else by asking), checks
 * them, writes the package, and adds it to the backend when asked.
 */
export async function runNew(options: NewCommandOptions, env: CliEnvironment): Promise<void> {
  const repoRoot =
    options.targetDir !== undefined
      ? resolveTargetDir(options.targetDir, env.cwd)
      : findRepoRoot(env.cwd);
  const given = parseOptionPairs(options.option);
  const template = await chooseTemplate(options.select, env);
  checkOptionKeys(template, given);

  // Settle every answer before anything is written.
  const ask = new Asker(env, repoRoot);
  const pluginId = await ask.id(template, 'pluginId', given.get('pluginId'));
  const moduleId =
    template.id === 'backend-module'
      ? await ask.id(template, 'moduleId', given.get('moduleId'), pluginId)
      : undefined;
  const owner = await ask.owner(given.get('owner'));
  const addRequested = parseBoolean('addToBackend', given.get('addToBackend'));
  const backendFile = resolveBackendFile({ explicit: options.backend, cwd: env.cwd, repoRoot });
  const request: PackageRequest = { template: template.id, pluginId, moduleId, owner };
  const plan = planPackage(request);
  if (addRequested && !backendFile) {
    throw new CliError(
      `no backend to add '${plan.packageName}' to: ` +
        `found neither ${DEFAULT_BACKEND_ENTRIES.map(quote).join(' nor ')}`,
      { fix: "pass --backend <path to the backend's src/index.ts>, or leave out addToBackend" },
    );
  }

  const written = writePackage(plan, repoRoot);
  // With --target-dir, name the folder as the user can find it from where they are.
  const location = options.targetDir ? displayPath(written, env.cwd) : plan.relativeDir;
  const subject = describe(plan, request);
  env.stdout(`Created ${subject} in ${location} (${plan.packageName})\n`);
  if (plan.kind === 'module') {
    warnWhenPluginIsMissing(repoRoot, pluginId, env);
  }
  if (owner) {
    addCodeOwner(repoRoot, plan, owner, env);
  }

  const display = (file: string) => relative(env.cwd, file) || file;
  const shouldAdd =
    addRequested ??
    (backendFile !== undefined &&
      env.isInteractive &&
      (await env.prompter.confirm({
        message: `Add ${plan.packageName} to the backend in ${display(backendFile)}?`,
        default: true,
      })));
  if (shouldAdd && backendFile) {
    addPackageToBackend(plan, backendFile, repoRoot, display, env);
  }
  warnWhenNotInWorkspaces(repoRoot, plan, display, env);
  const install = shouldAdd
    ? "run 'npm install' so that the backend can import the new package " +
      '(it links the package and installs its dependencies)'
    : "run 'npm install' to link the new package and install its dependencies";
  env.stdout(`Next: ${install}, then 'npm test' in ${location}.\n`);
}

/**
 * The folder `--target-dir` names, which must exist: a typo must not create a new tree. An empty
 * value (an unset shell variable) is refused rather than taken as the current folder.
 */
function resolveTargetDir(targetDir: string, cwd: string): string {
  if (targetDir.trim() === '') {
    throw new CliError('option --target-dir is empty', {
      fix: 'pass the repository root, for example --target-dir ., or leave the option out',
      exitCode: USAGE_EXIT_CODE,
    });
  }
  const dir = resolve(cwd, targetDir);
  if (!existsSync(dir)) {
    throw new CliError(`the target folder '${targetDir}' does not exist`, {
      fix:
        `create it first (mkdir -p '${targetDir}'), ` +
        'or pass the repository root with --target-dir',
    });
  }
  if (!statSync(dir).isDirectory()) {
    throw new CliError(`the target '${targetDir}' is not a folder`, {
      fix: 'pass the repository root with --target-dir',
    });
  }
  return dir;
}

/** `path` relative to `cwd` when it is below it, else the absolute path. */
function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}

function addPackageToBackend(
  plan: PackagePlan,
  backendFile: string,
  repoRoot: string,
  display: (file: string) => string,
  env: CliEnvironment,
): void {
  const result = addToBackend({
    backendFile,
    packageName: plan.packageName,
    displayPath: display(backendFile),
  });
  if (result === 'already-present') {
    env.stdout(`${display(backendFile)} already adds ${plan.packageName}\n`);
    return;
  }
  env.stdout(`Added ${plan.packageName} to ${display(backendFile)}\n`);

  // The backend package must depend on the new package for the import to resolve.
  const backendDir = findPackageDir(dirname(backendFile));
  if (backendDir && backendDir !== repoRoot) {
    const backendJson = join(backendDir, 'package.json');
    const version = readPackageJson(join(repoRoot, plan.relativeDir, 'package.json'))?.version;
    const added = addDependency({
      packageJsonFile: backendJson,
      name: plan.packageName,
      version: version ?? '0.1.0',
      displayPath: display(backendJson),
    });
    if (added) {
      env.stdout(`Added ${plan.packageName} to the dependencies in ${display(backendJson)}\n`);
    }
  }
  addToBuild(plan, backendDir !== repoRoot ? backendDir : undefined, repoRoot, display, env);
}

/**
 * The root build (`tsc -b tsconfig.build.json`) must build the new package before the backend that
 * imports it: adds it to the references of the root `tsconfig.build.json`, when there is one, and
 * of the backend's `tsconfig.json`.
 */
function addToBuild(
  plan: PackagePlan,
  backendDir: string | undefined,
  repoRoot: string,
  display: (file: string) => string,
  env: CliEnvironment,
): void {
  const projectDir = join(repoRoot, plan.relativeDir);
  const rootBuild = join(repoRoot, 'tsconfig.build.json');
  const backendConfig = backendDir && join(backendDir, 'tsconfig.json');
  const targets: Array<{ file: string; beforeDir?: string; what: string }> = [];
  if (existsSync(rootBuild)) {
    targets.push({ file: rootBuild, beforeDir: backendDir, what: 'the build' });
  }
  if (backendConfig && existsSync(backendConfig) && existsSync(rootBuild)) {
    targets.push({ file: backendConfig, what: "the backend's project references" });
  }
  for (const target of targets) {
    try {
      const result = addProjectReference({
        tsconfigFile: target.file,
        projectDir,
        beforeDir: target.beforeDir,
        displayPath: display(target.file),
      });
      if (result === 'added') {
        env.stdout(`Added ${plan.relativeDir} to ${target.what} in ${display(target.file)}\n`);
      }
    } catch (error) {
      if (!(error instanceof CliError)) {
        throw error;
      }
      // The package is written already; say what is left to do instead of failing.
      env.stderr(`warning: ${error.message}\n`);
    }
  }
}

/** `npm install` links only the packages that the root's `workspaces` patterns cover. */
function warnWhenNotInWorkspaces(
  repoRoot: string,
  plan: PackagePlan,
  display: (file: string) => string,
  env: CliEnvironment,
): void {
  const rootJson = join(repoRoot, 'package.json');
  let workspaces: PackageJson['workspaces'];
  try {
    workspaces = readPackageJson(rootJson)?.workspaces;
  } catch {
    // A root package.json that does not parse is npm's to report.
    return;
  }
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? []);
  if (patterns.some(pattern => matchesWorkspacePattern(pattern, plan.relativeDir))) {
    return;
  }
  const pattern = `${dirname(plan.relativeDir)}/*`;
  env.stderr(
    `warning: the workspaces of '${display(rootJson)}' do not include '${plan.relativeDir}', ` +
      "so 'npm install' will not link it — " +
      `add "${pattern}" to "workspaces" in '${display(rootJson)}'\n`,
  );
}

/** True when a `workspaces` pattern such as `plugins/*` or `packages/**` covers `relativeDir`. */
function matchesWorkspacePattern(pattern: string, relativeDir: string): boolean {
  const source = pattern
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .split('/')
    .map(segment =>
      segment === '**'
        ? '.*'
        : segment
            .split('*')
            .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*'),
    )
    .join('/');
  return new RegExp(`^${source}$`).test(relativeDir);
}

/**
 * A module may extend a plugin installed from npm, so a plugin missing from the repository is not
 * an error; but it may as well be a mistyped id, so the user hears of it.
 */
function warnWhenPluginIsMissing(repoRoot: string, pluginId: string, env: CliEnvironment) {
  const expected = planPackage({ template: 'backend-plugin', pluginId, owner: '' }).relativeDir;
  if (existsSync(join(repoRoot, expected)) || declaresPlugin(join(repoRoot, 'plugins'), pluginId)) {
    return;
  }
  const found =
    `found no plugin '${pluginId}' in this repository ` + `(looked for the folder '${expected}')`;
  const fix = 'if you meant a plugin of this repository, check the plugin id';
  env.stderr(
    `warning: ${found}; the module was written for a plugin installed from npm — ${fix}\n`,
  );
}

/** True when a package in `pluginsDir` declares `backstage.pluginId` as `pluginId` for a plugin. */
function declaresPlugin(pluginsDir: string, pluginId: string): boolean {
  if (!existsSync(pluginsDir)) {
    return false;
  }
  return readdirSync(pluginsDir).some(name => {
    try {
      const backstage = readPackageJson(join(pluginsDir, name, 'package.json'))?.backstage;
      return backstage?.role === 'backend-plugin' && backstage.pluginId === pluginId;
    } catch {
      // A package.json that does not parse declares nothing.
      return false;
    }
  });
}

function describe(plan: PackagePlan, request: PackageRequest): string {
  return plan.kind === 'module'
    ? `module '${request.moduleId}' of plugin '${request.pluginId}'`
    : `plugin '${request.pluginId}'`;
}

function addCodeOwner(repoRoot: string, plan: PackagePlan, owner: string, env: CliEnvironment) {
  const codeOwners = join(repoRoot, '.github', 'CODEOWNERS');
  if (!existsSync(codeOwners)) {
    return;
  }
  // A last line without its newline would otherwise get the new entry glued onto it.
  const content = readFileSync(codeOwners, 'utf8');
  const separator = content === '' || content.endsWith('\n') ? '' : '\n';
  appendFileSync(codeOwners, `${separator}/${plan.relativeDir}/ ${owner}\n`);
  env.stdout(`Added ${owner} as the owner of ${plan.relativeDir} in .github/CODEOWNERS\n`);
}

async function chooseTemplate(
  select: string | undefined,
  env: CliEnvironment,
): Promise<TemplateDefinition> {
  const known = templateCatalog.map(template => template.id).join(', ');
  if (select !== undefined) {
    const template = findTemplate(select);
    if (!template) {
      throw new CliError(`unknown template '${select}'`, {
        fix: `use one of: ${known}`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
    return template;
  }
  if (!env.isInteractive) {
    throw new CliError('no template selected and no terminal to ask on', {
      fix: `pass --select with one of: ${known}`,
      exitCode: USAGE_EXIT_CODE,
    });
  }
  const id = await env.prompter.select({
    message: 'What do you want to create?',
    choices: templateCatalog.map(template => ({
      value: template.id,
      name: template.id,
      description: template.description,
    })),
  });
  return findTemplate(id) ?? templateCatalog[0];
}

/** Asks for the values that were not given as options, checking each answer as it comes. */
class Asker {
  constructor(
    private readonly env: CliEnvironment,
    private readonly repoRoot: string,
  ) {}

  async id(
    template: TemplateDefinition,
    key: 'pluginId' | 'moduleId',
    given: string | undefined,
    pluginId?: string,
  ): Promise<string> {
    const check = (id: string) => this.checkId(template, key, id, pluginId);
    if (given !== undefined || !this.env.isInteractive) {
      const id = given ?? '';
      const problem = check(id);
      if (problem) {
        throw new CliError(problem.message, {
          fix: problem.fix,
          exitCode: problem.isUsageError ? USAGE_EXIT_CODE : 1,
        });
      }
      return id;
    }
    const message =
      key === 'pluginId'
        ? template.id === 'backend-module'
          ? 'Id of the plugin this module extends (for example: catalog):'
          : 'Plugin id, without -backend (for example: todo):'
        : 'Module id (for example: github):';
    return this.env.prompter.input({
      message,
      validate: answer => {
        const problem = check(answer);
        return problem ? `${problem.message} — ${problem.fix}` : true;
      },
    });
  }

  async owner(given: string | undefined): Promise<string> {
    if (given === undefined && !this.env.isInteractive) {
      return '';
    }
    const owner =
      given ??
      (await this.env.prompter.input({
        message: 'Owner (a GitHub user or team like @org/team; empty for none):',
        default: '',
        validate: answer => checkOwner(answer) ?? true,
      }));
    const problem = checkOwner(owner);
    if (problem) {
      throw new CliError(problem, { fix: 'write it like @user or @org/team, without spaces' });
    }
    return owner.trim();
  }

  private checkId(
    template: TemplateDefinition,
    key: 'pluginId' | 'moduleId',
    id: string,
    pluginId: string | undefined,
  ): IdProblem | undefined {
    const isModule = template.id === 'backend-module';
    const problem =
      key === 'pluginId' ? checkPluginId(id, { forModule: isModule }) : checkModuleId(id);
    if (problem) {
      return problem;
    }
    if (key === 'pluginId' && isModule) {
      return undefined;
    }
    const plan = planPackage({
      template: template.id,
      pluginId: pluginId ?? id,
      moduleId: id,
      owner: '',
    });
    const target = join(this.repoRoot, plan.relativeDir);
    if (existsSync(target)) {
      const label = isModule ? `module '${id}' of plugin '${pluginId}'` : `plugin '${id}'`;
      return {
        message:
          `cannot create ${label}: the folder ` +
          `'${relative(this.repoRoot, target)}' already exists`,
        fix:
          `choose another ${key === 'pluginId' ? 'plugin' : 'module'} id, ` +
          'or remove that folder first',
      };
    }
    return undefined;
  }
}

function checkOwner(owner: string): string | undefined {
  return /\s/.test(owner.trim()) ? `owner '${owner}' contains spaces` : undefined;
}

function parseOptionPairs(pairs: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      throw new CliError(`option '${pair}' is not in the form key=value`, {
        fix: `write it as --option ${separator === 0 ? 'key' : pair}=<value>`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
    const key = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    const earlier = options.get(key);
    if (earlier !== undefined) {
      throw new CliError(
        `option '${key}' is given twice, as '${key}=${earlier}' and as '${key}=${value}'`,
        { fix: `pass --option ${key}=<value> once`, exitCode: USAGE_EXIT_CODE },
      );
    }
    options.set(key, value);
  }
  return options;
}

function checkOptionKeys(template: TemplateDefinition, given: Map<string, string>): void {
  for (const key of given.keys()) {
    if (!template.options.includes(key as TemplateOptionKey)) {
      throw new CliError(`template '${template.id}' has no option '${key}'`, {
        fix: `use one of: ${template.options.join(', ')}`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
  }
}

function parseBoolean(key: string, value: string | undefined): boolean | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new CliError(`option '${key}' must be true or false, not '${value}'`, {
    fix: `write --option ${key}=true or --option ${key}=false`,
    exitCode: USAGE_EXIT_CODE,
  });
}

function quote(text: string): string {
  return `'${text}'`;
}
