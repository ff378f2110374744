import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../__fixtures__/testEnvironment';
import { addProjectReference } from './addProjectReference';

const BUILD_CONFIG = [
  '{',
  '  "files": [],',
  '  "references": [',
  '    { "path": "packages/plugin-api" },',
  '    { "path": "plugins/example-backend" },',
  '    { "path": "examples/backend" }',
  '  ]',
  '}',
  '',
].join('\n');

describe('addProjectReference', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function add(source: string, options: { file?: string; before?: string } = {}) {
    const file = options.file ?? 'tsconfig.build.json';
    const temp = createTempDir({ [file]: source });
    cleanups.push(temp.remove);
    const tsconfigFile = join(temp.dir, file);
    const result = addProjectReference({
      tsconfigFile,
      projectDir: join(temp.dir, 'plugins/todo-backend'),
      beforeDir: options.before && join(temp.dir, options.before),
      displayPath: file,
    });
    return { result, text: readFileSync(tsconfigFile, 'utf8') };
  }

  it('should add the reference before the backend, keeping the indentation', () => {
    expect(add(BUILD_CONFIG, { before: 'examples/backend' })).toEqual({
      result: 'added',
      text: BUILD_CONFIG.replace(
        '    { "path": "examples/backend" }',
        '    { "path": "plugins/todo-backend" },\n    { "path": "examples/backend" }',
      ),
    });
  });

  it('should add the reference after the last one when the backend is not referenced', () => {
    expect(add(BUILD_CONFIG, { before: 'server' }).text).toBe(
      BUILD_CONFIG.replace(
        '    { "path": "examples/backend" }',
        '    { "path": "examples/backend" },\n    { "path": "plugins/todo-backend" }',
      ),
    );
  });

  it('should write the path relative to the tsconfig file and keep comments', () => {
    const source = [
      '{',
      '  // The backend builds after its plugins.',
      '  "extends": "../../tsconfig.base.json",',
      '  "references": [{ "path": "../../packages/defaults" }],',
      '}',
      '',
    ].join('\n');

    expect(add(source, { file: 'examples/backend/tsconfig.json' }).text).toBe(
      source.replace(
        '[{ "path": "../../packages/defaults" }]',
        '[{ "path": "../../packages/defaults" }, { "path": "../../plugins/todo-backend" }]',
      ),
    );
  });

  it('should add a references list to a tsconfig that has none', () => {
    const source = '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src"]\n}\n';

    expect(add(source, { file: 'examples/backend/tsconfig.json' }).text).toBe(
      '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src"],\n  "references": [{ "path": "../../plugins/todo-backend" }]\n}\n',
    );
  });

  it('should leave a tsconfig that references the project already as it is', () => {
    const source = '{ "references": [{ "path": "plugins/todo-backend/tsconfig.json" }] }\n';

    expect(add(source)).toEqual({ result: 'already-present', text: source });
  });

  it('should explain what to do when the file is not a JSON object', () => {
    expect(() => add('{ "references": [')).toThrow(
      `cannot add a reference to 'plugins/todo-backend' to 'tsconfig.build.json' — it is not a JSON object; add { "path": "plugins/todo-backend" } to its "references" yourself`,
    );
  });
});
