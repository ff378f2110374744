import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** The directives whose target is a file the backend reads. */
const FILE_DIRECTIVES = ['$include', '$file'];

/**
 * The local files that `configFiles` pull in with `$include` and `$file`, followed through
 * included files, so that `backplane start` can restart the backend when one of them changes.
 * Targets are resolved against the file that names them, as the backend does. URLs, missing
 * files and files that do not parse are left out: the backend reports those when it loads.
 */
export function listIncludedFiles(configFiles: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (!existsSync(file)) {
      return;
    }
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    for (const { directive, target } of findDirectives(data)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
        continue;
      }
      const path = target.split('#', 1)[0];
      const location = isAbsolute(path) ? path : resolve(dirname(file), path);
      if (found.has(location) || configFiles.includes(location)) {
        continue;
      }
      found.add(location);
      if (directive === '$include') {
        visit(location);
      }
    }
  };
  configFiles.forEach(visit);
  return [...found];
}

function findDirectives(value: unknown): Array<{ directive: string; target: string }> {
  if (Array.isArray(value)) {
    return value.flatMap(findDirectives);
  }
  if (!value || typeof value !== 'object') {
    return [];
  }
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[key, target]] = entries;
    if (FILE_DIRECTIVES.includes(key) && typeof target === 'string' && target !== '') {
      return [{ directive: key, target }];
    }
  }
  return entries.flatMap(([, item]) => findDirectives(item));
}
