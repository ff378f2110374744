import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { CliError } from '../CliError';

/**
 * Adds `"<name>": "<version>"` to the `dependencies` of a `package.json` without touching any other
 * line: in sorted position when the existing dependencies are sorted, else after the last one. The
 * file's indentation, spacing and trailing newline are kept. Does nothing when the dependency is
 * there already. Returns true when the file changed.
 */
export function addDependency(options: {
  packageJsonFile: string;
  name: string;
  version: string;
  /** How to name the file in errors, usually relative to the repository root. */
  displayPath: string;
}): boolean {
  const { packageJsonFile, name, version, displayPath } = options;
  const text = readFileSync(packageJsonFile, 'utf8');
  const entryText = `"${name}": "${version}"`;
  const failure = (problem: string) =>
    new CliError(`cannot add '${name}' to the dependencies in '${displayPath}': ${problem}`, {
      fix: `add ${entryText} to its "dependencies" yourself`,
    });

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw failure(`it is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) {
    throw failure('it is not a JSON object');
  }
  if (parsed.dependencies !== undefined && !isObject(parsed.dependencies)) {
    throw failure('its "dependencies" is not an object');
  }
  if (parsed.dependencies && Object.hasOwn(parsed.dependencies, name)) {
    return false;
  }

  const json = ts.parseJsonText(packageJsonFile, text);
  const root = json.statements[0].expression as ts.ObjectLiteralExpression;
  const dependencies = findProperty(root, 'dependencies');
  const entry = { key: name, name: JSON.stringify(name), value: JSON.stringify(version) };
  const updated = dependencies
    ? insertEntry(text, dependencies.initializer as ts.ObjectLiteralExpression, entry, json)
    : addDependenciesProperty(text, root, entry, json);
  writeFileSync(packageJsonFile, updated);
  return true;
}

/** The new dependency: its name, and its name and version as JSON strings. */
type Entry = { key: string; name: string; value: string };

function insertEntry(
  text: string,
  object: ts.ObjectLiteralExpression,
  entry: Entry,
  sourceFile: ts.JsonSourceFile,
): string {
  const properties = object.properties as ts.NodeArray<ts.PropertyAssignment>;
  const open = object.getStart(sourceFile);
  if (properties.length === 0) {
    const root = sourceFile.statements[0].expression as ts.ObjectLiteralExpression;
    const style = styleOf(text, root, sourceFile);
    const outer = indentationOf(text, open);
    const body = style.multiLine
      ? `\n${outer}${style.unit}${entry.name}${style.colon}${entry.value}\n${outer}`
      : `${style.inner}${entry.name}${style.colon}${entry.value}${style.inner}`;
    return `${text.slice(0, open + 1)}${body}${text.slice(object.end - 1)}`;
  }

  const style = styleOf(text, object, sourceFile);
  const line = `${entry.name}${style.colon}${entry.value}`;
  const separator = style.multiLine
    ? `\n${indentationOf(text, properties[0].getStart(sourceFile))}`
    : style.inner;
  const names = properties.map(property => (property.name as ts.StringLiteral).text);
  const next = isSorted(names)
    ? properties.find((_, i) => compare(names[i], entry.key) > 0)
    : undefined;
  if (next) {
    const position = next.getStart(sourceFile);
    return `${text.slice(0, position)}${line},${separator}${text.slice(position)}`;
  }
  const last = properties[properties.length - 1];
  return `${text.slice(0, last.end)},${separator}${line}${text.slice(last.end)}`;
}

function addDependenciesProperty(
  text: string,
  root: ts.ObjectLiteralExpression,
  entry: Entry,
  sourceFile: ts.SourceFile,
): string {
  const style = styleOf(text, root, sourceFile);
  const last = root.properties[root.properties.length - 1];
  const line = `${entry.name}${style.colon}${entry.value}`;
  if (!last) {
    const open = root.getStart(sourceFile);
    const body = `\n  "dependencies": {\n    ${line}\n  }\n`;
    return `${text.slice(0, open + 1)}${body}${text.slice(root.end - 1)}`;
  }
  const indent = indentationOf(text, last.getStart(sourceFile));
  const property = style.multiLine
    ? `,\n${indent}"dependencies"${style.colon}{\n${indent}${style.unit}${line}\n${indent}}`
    : `,${style.inner}"dependencies"${style.colon}{${style.inner}${line}${style.inner}}`;
  return `${text.slice(0, last.end)}${property}${text.slice(last.end)}`;
}

/** How an object is written: one property per line or not, its colon, and its indent unit. */
function styleOf(text: string, object: ts.ObjectLiteralExpression, sourceFile: ts.SourceFile) {
  const first = object.properties[0] as ts.PropertyAssignment | undefined;
  if (!first) {
    return { multiLine: true, colon: ': ', inner: ' ', unit: '  ' };
  }
  const firstStart = first.getStart(sourceFile);
  const before = text.slice(object.getStart(sourceFile) + 1, firstStart);
  const colon = text.slice(first.name.end, first.initializer.getStart(sourceFile));
  const multiLine = before.includes('\n');
  const ownIndent = indentationOf(text, object.getStart(sourceFile));
  const propertyIndent = indentationOf(text, firstStart);
  const unit = multiLine ? propertyIndent.slice(ownIndent.length) || '  ' : '  ';
  return { multiLine, colon: colon.trim() === ':' ? colon : ': ', inner: before, unit };
}

function findProperty(object: ts.ObjectLiteralExpression, name: string) {
  return object.properties.find(
    (candidate): candidate is ts.PropertyAssignment =>
      ts.isPropertyAssignment(candidate) &&
      ts.isStringLiteral(candidate.name) &&
      candidate.name.text === name,
  );
}

/** The order npm writes dependencies in. */
function compare(a: string, b: string): number {
  return a.localeCompare(b, 'en');
}

function isSorted(names: string[]): boolean {
  return names.every((name, i) => i === 0 || compare(names[i - 1], name) <= 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indentationOf(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
