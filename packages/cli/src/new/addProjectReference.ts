import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { CliError } from '../CliError';

/** What {@link addProjectReference} did. */
export type AddProjectReferenceResult = 'added' | 'already-present';

/**
 * Adds `{ "path": "<relative path to projectDir>" }` to the `references` of a tsconfig file, so
 * that
 * `tsc -b` builds that project first. The entry goes before the reference to `beforeDir` when there
 * is one, else after the last reference; a file without `references` gets the property. The rest of
 * the file is kept as it is, comments included.
 */
export function addProjectReference(options: {
  tsconfigFile: string;
  /** The folder of the project to reference. */
  projectDir: string;
  /** The folder of a project that should come after the new reference, such as the backend. */
  beforeDir?: string;
  /** How to name the file in errors, usually relative to the repository root. */
  displayPath: string;
}): AddProjectReferenceResult {
  const { tsconfigFile, projectDir, beforeDir, displayPath } = options;
  const text = readFileSync(tsconfigFile, 'utf8');
  const baseDir = dirname(tsconfigFile);
  const referencePath = relative(baseDir, projectDir).split('\\').join('/') || '.';
  const entry = `{ "path": "${referencePath}" }`;

  const json = ts.parseJsonText(tsconfigFile, text);
  const root = json.statements[0]?.expression;
  if (
    !root ||
    !ts.isObjectLiteralExpression(root) ||
    ts.parseConfigFileTextToJson(tsconfigFile, text).error
  ) {
    throw new CliError(`cannot add a reference to '${referencePath}' to '${displayPath}'`, {
      fix: `it is not a JSON object; add ${entry} to its "references" yourself`,
    });
  }

  const property = root.properties.find(
    (candidate): candidate is ts.PropertyAssignment =>
      ts.isPropertyAssignment(candidate) &&
      ts.isStringLiteral(candidate.name) &&
      candidate.name.text === 'references',
  );
  let updated: string;
  if (!property) {
    updated = addReferencesProperty(text, root, entry, json);
  } else if (ts.isArrayLiteralExpression(property.initializer)) {
    const elements = property.initializer.elements;
    const resolvePath = (element: ts.Expression) => referencedDir(element, baseDir);
    if (elements.some(element => resolvePath(element) === resolve(projectDir))) {
      return 'already-present';
    }
    const anchor = beforeDir
      ? elements.find(element => resolvePath(element) === resolve(beforeDir))
      : undefined;
    updated = insertElement(text, property.initializer, entry, anchor, json);
  } else {
    throw new CliError(`cannot add a reference to '${referencePath}' to '${displayPath}'`, {
      fix: `its "references" is not a list; add ${entry} to it yourself`,
    });
  }
  writeFileSync(tsconfigFile, updated);
  return 'added';
}

/** The folder a `{ "path": … }` reference points to; a path may name the folder or its tsconfig. */
function referencedDir(element: ts.Expression, baseDir: string): string | undefined {
  if (!ts.isObjectLiteralExpression(element)) {
    return undefined;
  }
  for (const property of element.properties) {
    if (
      ts.isPropertyAssignment(property) &&
      ts.isStringLiteral(property.name) &&
      property.name.text === 'path' &&
      ts.isStringLiteral(property.initializer)
    ) {
      const target = resolve(baseDir, property.initializer.text);
      return basename(target).endsWith('.json') ? dirname(target) : target;
    }
  }
  return undefined;
}

function insertElement(
  text: string,
  array: ts.ArrayLiteralExpression,
  entry: string,
  anchor: ts.Expression | undefined,
  sourceFile: ts.SourceFile,
): string {
  const elements = array.elements;
  if (elements.length === 0) {
    const start = array.getStart(sourceFile);
    return `${text.slice(0, start)}[${entry}]${text.slice(array.end)}`;
  }
  const first = elements[0];
  const multiLine = text
    .slice(array.getStart(sourceFile), first.getStart(sourceFile))
    .includes('\n');

  if (anchor) {
    const position = anchor.getStart(sourceFile);
    if (!multiLine) {
      return `${text.slice(0, position)}${entry}, ${text.slice(position)}`;
    }
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    const indent = indentationOf(text, position);
    return `${text.slice(0, lineStart)}${indent}${entry},\n${text.slice(lineStart)}`;
  }

  const last = elements[elements.length - 1];
  const trailingComma = /^\s*,/.exec(text.slice(last.end));
  if (!multiLine) {
    return `${text.slice(0, last.end)}, ${entry}${text.slice(last.end)}`;
  }
  const indent = indentationOf(text, last.getStart(sourceFile));
  if (trailingComma) {
    const end = last.end + trailingComma[0].length;
    return `${text.slice(0, end)}\n${indent}${entry},${text.slice(end)}`;
  }
  return `${text.slice(0, last.end)},\n${indent}${entry}${text.slice(last.end)}`;
}

function addReferencesProperty(
  text: string,
  root: ts.ObjectLiteralExpression,
  entry: string,
  sourceFile: ts.SourceFile,
): string {
  const last = root.properties[root.properties.length - 1];
  if (!last) {
    const open = root.getStart(sourceFile);
    return (
      `${text.slice(0, open + 1)}\n  "references": [${entry}]\n` +
      `${text.slice(open + 1).trimStart()}`
    );
  }
  const lastStart = last.getStart(sourceFile);
  const indent = indentationOf(text, lastStart);
  const trailingComma = /^\s*,/.exec(text.slice(last.end));
  const end = trailingComma ? last.end + trailingComma[0].length : last.end;
  const separator = trailingComma ? '' : ',';
  return `${text.slice(0, end)}${separator}\n${indent}"references": [${entry}]${text.slice(end)}`;
}

function indentationOf(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
