import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type * as Yaml from 'yaml';
import { describeYamlError } from './describeYamlError';

let yaml: typeof Yaml | undefined;

/** `yaml` costs tens of milliseconds to load, so it is loaded on the first YAML file only. */
function loadYaml(): typeof Yaml {
  yaml ??= require('yaml') as typeof Yaml;
  return yaml;
}

/** True for `http://` and `https://` locations. */
export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Resolves `target` relative to the file or URL that mentions it. */
export function resolveLocation(base: string, target: string): string {
  if (isUrl(target) || (isAbsolute(target) && !isUrl(base))) return target;
  if (isUrl(base)) return new URL(target, base).href;
  return resolve(dirname(base), target);
}

/** An error about one config file, naming it and keeping the cause. */
export function configFileError(location: string, detail: string, cause?: unknown): Error {
  return new Error(`Failed to load config file '${location}': ${detail}`, { cause });
}

/**
 * Parses the text of a config file: JSON for `.json`, YAML otherwise. A YAML syntax error names
 * the file, the line and column where the problem starts, and the key it is under; the offending
 * text is not repeated, since it may hold a secret.
 */
export function parseConfigText(text: string, location: string): unknown {
  const path = isUrl(location) ? new URL(location).pathname : location;
  if (extname(path).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw configFileError(location, `malformed JSON: ${(error as Error).message}`, error);
    }
  }
  const yaml = loadYaml();
  try {
    return yaml.parse(text);
  } catch (error) {
    if (error instanceof yaml.YAMLParseError) {
      const detail = describeYamlError(yaml, error, text);
      throw configFileError(location, `malformed YAML at ${detail}`, error);
    }
    throw configFileError(location, `malformed YAML: ${(error as Error).message}`, error);
  }
}
