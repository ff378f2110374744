import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const TEMPLATE_SUFFIX = '.tmpl';
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * Renders every `*.tmpl` file under `templateDir`: replaces `{{name}}` with `values[name]` and drops
 * the suffix. A line that holds only a placeholder whose value is empty is left out.
 * Returns the files by their path relative to the package, with `/` separators.
 */
export function renderTemplate(
  templateDir: string,
  values: Readonly<Record<string, string>>,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of listFiles(templateDir)) {
    if (!file.endsWith(TEMPLATE_SUFFIX)) {
      continue;
    }
    const path = relative(templateDir, file)
      .split('\\')
      .join('/')
      .slice(0, -TEMPLATE_SUFFIX.length);
    files.set(path, renderText(readFileSync(file, 'utf8'), values, path));
  }
  return files;
}

function renderText(text: string, values: Readonly<Record<string, string>>, path: string): string {
  const lines = text.split('\n').filter(line => {
    const only = /^\{\{(\w+)\}\}$/.exec(line.trim());
    return !only || values[only[1]] !== '';
  });
  return lines.join('\n').replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`Template file '${path}' uses '{{${name}}}', which has no value`);
    }
    return value;
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : [path];
    });
}
