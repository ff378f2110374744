import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Adds `name@version` to the `dependencies` of a `package.json`, keeping them sorted; does nothing
 * when the dependency is there already. Returns true when the file changed.
 */
export function addDependency(packageJsonFile: string, name: string, version: string): boolean {
  const packageJson = JSON.parse(readFileSync(packageJsonFile, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const dependencies = packageJson.dependencies ?? {};
  if (dependencies[name]) {
    return false;
  }
  packageJson.dependencies = Object.fromEntries(
    Object.entries({ ...dependencies, [name]: version }).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(packageJsonFile, `${JSON.stringify(packageJson, null, 2)}\n`);
  return true;
}
