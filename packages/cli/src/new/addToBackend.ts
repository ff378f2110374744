import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { CliError } from '../CliError';

/** What {@link addToBackend} did. */
export type AddToBackendResult = 'added' | 'already-present';

/**
 * Adds `backend.add(import('<packageName>'));` to a backend's entry file, after the last
 * `backend.add(...)` statement or else before `backend.start()`, wherever they are in the file.
 */
export function addToBackend(options: {
  backendFile: string;
  packageName: string;
  /** How to name the file in errors, usually relative to the repository root. */
  displayPath: string;
}): AddToBackendResult {
  const { backendFile, packageName, displayPath } = options;
  const text = readFileSync(backendFile, 'utf8');
  if (text.includes(`import('${packageName}')`) || text.includes(`import("${packageName}")`)) {
    return 'already-present';
  }

  const sourceFile = ts.createSourceFile(backendFile, text, ts.ScriptTarget.Latest, true);
  const statements = listStatements(sourceFile);
  const addCalls = statements.filter(statement => isBackendCall(statement, 'add'));
  const anchor = addCalls[addCalls.length - 1];
  const start = statements.find(statement => isBackendCall(statement, 'start'));
  const line = (receiver: string) => `${receiver}.add(import('${packageName}'));`;

  let updated: string;
  if (anchor) {
    const indent = indentationOf(text, anchor.getStart(sourceFile));
    updated = `${text.slice(0, anchor.end)}\n${indent}${line(receiverOf(anchor))}${text.slice(anchor.end)}`;
  } else if (start) {
    const position = start.getStart(sourceFile);
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    const indent = indentationOf(text, position);
    updated = `${text.slice(0, lineStart)}${indent}${line(receiverOf(start))}\n${text.slice(lineStart)}`;
  } else {
    throw new CliError(
      `cannot add '${packageName}' to '${displayPath}': it has no 'backend.add(...)' or 'backend.start()' statement`,
      { fix: `add the line "backend.add(import('${packageName}'));" to your backend yourself` },
    );
  }
  writeFileSync(backendFile, updated);
  return 'added';
}

/** Every statement of the file in source order, including those inside functions and blocks. */
function listStatements(sourceFile: ts.SourceFile): ts.Statement[] {
  const statements: ts.Statement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      statements.push(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return statements;
}

function isBackendCall(statement: ts.Statement, method: 'add' | 'start'): boolean {
  return receiverOfCall(statement, method) !== undefined;
}

function receiverOf(statement: ts.Statement): string {
  return receiverOfCall(statement, 'add') ?? receiverOfCall(statement, 'start') ?? 'backend';
}

function receiverOfCall(statement: ts.Statement, method: string): string | undefined {
  if (!ts.isExpressionStatement(statement)) {
    return undefined;
  }
  // Walks down chains like `backend.start().catch(...)` to the call on the backend itself.
  let node: ts.Expression = statement.expression;
  for (;;) {
    if (
      ts.isAwaitExpression(node) ||
      ts.isVoidExpression(node) ||
      ts.isParenthesizedExpression(node)
    ) {
      node = node.expression;
      continue;
    }
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) {
      return undefined;
    }
    const callee = node.expression;
    if (ts.isIdentifier(callee.expression)) {
      return callee.name.text === method ? callee.expression.text : undefined;
    }
    node = callee.expression;
  }
}

function indentationOf(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
