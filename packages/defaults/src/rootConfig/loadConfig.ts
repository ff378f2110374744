import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { JsonObject } from '@backplane/plugin-api';
import { mergeConfig } from './mergeConfig';
import { configFileError, isUrl, parseConfigText } from './parseConfigText';
import { readEnvOverrides } from './readEnvOverrides';
import { transformConfig, type TransformContext } from './transformConfig';

/** Where and how to load configuration. Every field defaults to the current process. */
export interface LoadConfigOptions {
  /** Command-line arguments; each `--config <path|url>` names a file to load. */
  argv?: readonly string[];
  /** The directory to start from; `app-config.yaml` is looked up in its workspace root. */
  cwd?: string;
  /** Environment variables used for `${VAR}`, `$env` and `APP_CONFIG_*` overrides. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Allows `--config https://…`; without it a URL is refused. */
  remote?: { reloadInterval?: HumanDuration };
  /** Reads a location; replaces file and network access, for tests. */
  readText?(location: string): Promise<string>;
}

/** A duration written as its parts, e.g. `{ minutes: 5 }`. */
export interface HumanDuration {
  milliseconds?: number;
  seconds?: number;
  minutes?: number;
  hours?: number;
}

/** The result of loading configuration. */
export interface LoadedConfig {
  /** The merged configuration. */
  data: JsonObject;
  /** Values that came from `$env` and `$file`, to be kept out of logs. */
  secrets: Set<string>;
  /** The config files and URLs given or found, in the order they were merged. */
  sources: string[];
  /** Every file and URL read, including `$file` and `$include` targets. */
  locations: Set<string>;
}

/**
 * Finds the directory the default config files live in: the nearest ancestor of `cwd` (or `cwd`
 * itself) whose `package.json` declares `workspaces`, else `cwd`.
 */
export function findWorkspaceRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // An unreadable package.json is not a workspace root; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/** Returns the values of every `--config <value>` and `--config=<value>` argument. */
export function readConfigArgs(argv: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--config') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new Error("The '--config' argument needs a value: pass --config <path-or-url>");
      }
      values.push(value);
      index++;
    } else if (arg.startsWith('--config=')) {
      values.push(arg.slice('--config='.length));
    }
  }
  return values;
}

async function defaultReadText(location: string): Promise<string> {
  if (!isUrl(location)) return readFile(location, 'utf8');
  const response = await fetch(location);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

/** Lists the config files to load, in merge order, with whether each one must exist. */
export function listConfigSources(
  options: LoadConfigOptions,
): { location: string; required: boolean }[] {
  const cwd = options.cwd ?? process.cwd();
  const args = readConfigArgs(options.argv ?? process.argv);
  if (args.length > 0) {
    return args.map(arg => {
      if (isUrl(arg) && !options.remote) {
        throw new Error(
          `Cannot load remote config '${arg}': remote config is off; create the rootConfig factory with rootConfigServiceFactory({ remote: {} }) to allow URLs`,
        );
      }
      return { location: isUrl(arg) ? arg : resolve(cwd, arg), required: true };
    });
  }
  const root = findWorkspaceRoot(cwd);
  return [
    { location: join(root, 'app-config.yaml'), required: false },
    { location: join(root, 'app-config.local.yaml'), required: false },
  ];
}

/**
 * Loads the backend's configuration: the files named with `--config`, or else `app-config.yaml`
 * and `app-config.local.yaml` from the workspace root when they exist; resolves `${VAR}`, `$env`,
 * `$file` and `$include` in each; deep-merges them in order; then applies `APP_CONFIG_*`
 * environment overrides.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const readText = options.readText ?? defaultReadText;
  const context: TransformContext = { env, readText, secrets: new Set(), locations: new Set() };
  const sources: string[] = [];
  let data: JsonObject = {};

  for (const { location, required } of listConfigSources(options)) {
    if (!required && !existsSync(location)) continue;
    context.locations.add(location);

    let text: string;
    try {
      text = await readText(location);
    } catch (error) {
      const hint = isUrl(location) ? 'check the URL' : 'check the --config path';
      throw configFileError(location, `${(error as Error).message}; ${hint}`, error);
    }

    const parsed = parseConfigText(text, location) ?? {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw configFileError(location, 'the top level must be a mapping of keys to values');
    }
    const transformed = await transformConfig(parsed, location, context);
    data = mergeConfig(data, (transformed ?? {}) as JsonObject);
    sources.push(location);
  }

  data = mergeConfig(data, readEnvOverrides(env));
  return { data, secrets: context.secrets, sources, locations: context.locations };
}
