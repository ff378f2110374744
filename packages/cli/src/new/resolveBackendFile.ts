import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../CliError';

/** Where `backplane new` and `backplane start` look for the backend, relative to the repository root. */
export const DEFAULT_BACKEND_ENTRIES = [
  'examples/backend/src/index.ts',
  'packages/backend/src/index.ts',
];

/**
 * Finds the backend's entry file: `explicit` (resolved from `cwd`) when given, which must exist,
 * else the first of {@link DEFAULT_BACKEND_ENTRIES} that exists under `repoRoot`, else `undefined`.
 */
export function resolveBackendFile(options: {
  explicit?: string;
  cwd: string;
  repoRoot: string;
}): string | undefined {
  if (options.explicit) {
    const file = resolve(options.cwd, options.explicit);
    if (!existsSync(file)) {
      throw new CliError(`the backend file '${options.explicit}' does not exist`, {
        fix: "pass the path of the backend's entry file, for example --backend packages/backend/src/index.ts",
      });
    }
    return file;
  }
  return DEFAULT_BACKEND_ENTRIES.map(entry => join(options.repoRoot, entry)).find(file =>
    existsSync(file),
  );
}
