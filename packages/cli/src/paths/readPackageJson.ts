import { readFileSync } from 'node:fs';
import { CliError } from '../CliError';

/** The fields of a `package.json` that the CLI reads. */
export interface PackageJson {
  name?: string;
  version?: string;
  workspaces?: string[] | { packages?: string[] };
  exports?: unknown;
  dependencies?: Record<string, string>;
  backstage?: { role?: string; pluginId?: string };
  [key: string]: unknown;
}

/**
 * Reads and parses a `package.json`; `undefined` when the file does not exist, a {@link CliError}
 * when it is not JSON.
 */
export function readPackageJson(file: string): PackageJson | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  try {
    return JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new CliError(`cannot parse '${file}': ${(error as Error).message}`, {
      fix: 'fix its JSON syntax',
      cause: error,
    });
  }
}
