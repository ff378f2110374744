import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const compatModules = resolve(__dirname, '../../node_modules');

/**
 * Lays out a minimal Backstage-style project in a temp directory: a workspace root with one
 * backend package that depends on `@backplane/defaults` (as a Backplane app's backend does) and on
 * `dependencies`, linked into `node_modules` the way an install would. Tools that read "the
 * project in the working directory" (devtools' config schema lookup) then see the same layout as
 * in a real app.
 */
export function createProjectDir(extraDependencies: string[]): string {
  const dependencies = ['@backplane/defaults', ...extraDependencies];
  const dir = mkdtempSync(join(tmpdir(), 'backplane-compat-project-'));
  const backendDir = join(dir, 'packages', 'backend');
  mkdirSync(backendDir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
  );
  writeFileSync(
    join(backendDir, 'package.json'),
    JSON.stringify({
      name: 'compat-project-backend',
      version: '0.0.0',
      private: true,
      dependencies: Object.fromEntries(dependencies.map(name => [name, '*'])),
    }),
  );
  link(backendDir, join(dir, 'node_modules', 'compat-project-backend'));
  for (const name of dependencies) {
    link(join(compatModules, name), join(dir, 'node_modules', name));
  }
  return dir;
}

function link(target: string, path: string) {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
}
