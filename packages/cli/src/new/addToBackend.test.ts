import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../__fixtures__/testEnvironment';
import { addToBackend } from './addToBackend';

describe('addToBackend', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function add(source: string) {
    const temp = createTempDir({ 'index.ts': source });
    cleanups.push(temp.remove);
    const backendFile = join(temp.dir, 'index.ts');
    const result = addToBackend({
      backendFile,
      packageName: '@internal/plugin-x-backend',
      displayPath: 'index.ts',
    });
    return { result, text: readFileSync(backendFile, 'utf8') };
  }

  it('should add after the last multi-line add, keeping its indentation', () => {
    const source = [
      'async function main() {',
      '  const server = createBackend();',
      '  server.add(',
      "    import('@internal/plugin-a-backend'),",
      '  );',
      '  await server.start();',
      '}',
    ].join('\n');

    expect(add(source).text).toBe(
      source.replace('  );\n', "  );\n  server.add(import('@internal/plugin-x-backend'));\n"),
    );
  });

  it('should add before a chained start() when there is no add yet', () => {
    const source =
      'const backend = createBackend();\nbackend.start().catch(() => process.exit(1));\n';

    expect(add(source).text).toBe(
      "const backend = createBackend();\nbackend.add(import('@internal/plugin-x-backend'));\nbackend.start().catch(() => process.exit(1));\n",
    );
  });

  it('should leave a backend that adds the package already as it is', () => {
    const source = "backend.add(import('@internal/plugin-x-backend'));\nbackend.start();\n";

    expect(add(source)).toEqual({ result: 'already-present', text: source });
  });

  it('should explain what to do when there is no backend.add or backend.start', () => {
    expect(() => add('export {};\n')).toThrow(
      "cannot add '@internal/plugin-x-backend' to 'index.ts': it has no 'backend.add(...)' or 'backend.start()' statement — add the line \"backend.add(import('@internal/plugin-x-backend'));\" to your backend yourself",
    );
  });
});
