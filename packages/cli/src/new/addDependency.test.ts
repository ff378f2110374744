import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../__fixtures__/testEnvironment';
import { addDependency } from './addDependency';

/** The backend's package.json as it is in this repository: dependencies not sorted. */
const UNSORTED = [
  '{',
  '  "name": "@backplane/example-backend",',
  '  "scripts": {',
  '    "start": "node dist/index.js"',
  '  },',
  '  "dependencies": {',
  '    "@backplane/defaults": "0.1.0",',
  '    "@backplane/plugin-example-backend": "0.1.0",',
  '    "@backplane/plugin-auth-dev-backend": "0.1.0",',
  '    "@backstage/plugin-catalog-backend": "4.0.5"',
  '  }',
  '}',
  '',
].join('\n');

const SORTED = [
  '{',
  '  "name": "backend",',
  '  "dependencies": {',
  '    "@backplane/defaults": "0.1.0",',
  '    "@backplane/plugin-uptime-backend": "0.1.0",',
  '    "express": "^4.21.2"',
  '  }',
  '}',
  '',
].join('\n');

describe('addDependency', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach(cleanup => cleanup());
  });

  function add(source: string, name = '@internal/plugin-todo-backend') {
    const temp = createTempDir({ 'package.json': source });
    cleanups.push(temp.remove);
    const packageJsonFile = join(temp.dir, 'package.json');
    const changed = addDependency({
      packageJsonFile,
      name,
      version: '0.1.0',
      displayPath: 'examples/backend/package.json',
    });
    return { changed, text: readFileSync(packageJsonFile, 'utf8') };
  }

  it('should append to unsorted dependencies without reordering them', () => {
    expect(add(UNSORTED)).toEqual({
      changed: true,
      text: UNSORTED.replace(
        '    "@backstage/plugin-catalog-backend": "4.0.5"\n',
        '    "@backstage/plugin-catalog-backend": "4.0.5",\n    "@internal/plugin-todo-backend": "0.1.0"\n',
      ),
    });
  });

  it('should insert into sorted dependencies at the sorted position', () => {
    expect(add(SORTED)).toEqual({
      changed: true,
      text: SORTED.replace(
        '    "express"',
        '    "@internal/plugin-todo-backend": "0.1.0",\n    "express"',
      ),
    });
    expect(add(SORTED, '@backplane/cache').text).toBe(
      SORTED.replace(
        '    "@backplane/defaults"',
        '    "@backplane/cache": "0.1.0",\n    "@backplane/defaults"',
      ),
    );
    expect(add(SORTED, 'zod').text).toBe(
      SORTED.replace('"^4.21.2"\n', '"^4.21.2",\n    "zod": "0.1.0"\n'),
    );
  });

  it('should keep tab indentation and a missing trailing newline', () => {
    const source =
      '{\n\t"name": "backend",\n\t"dependencies": {\n\t\t"a": "1",\n\t\t"z": "2"\n\t}\n}';

    expect(add(source, 'm').text).toBe(
      '{\n\t"name": "backend",\n\t"dependencies": {\n\t\t"a": "1",\n\t\t"m": "0.1.0",\n\t\t"z": "2"\n\t}\n}',
    );
  });

  it('should keep a file written on one line on one line', () => {
    expect(add('{"name":"backend","dependencies":{"a":"1"}}', 'b').text).toBe(
      '{"name":"backend","dependencies":{"a":"1","b":"0.1.0"}}',
    );
  });

  it('should add the dependencies property, or fill an empty one, in the file style', () => {
    expect(add('{\n    "name": "backend"\n}\n', 'a').text).toBe(
      '{\n    "name": "backend",\n    "dependencies": {\n        "a": "0.1.0"\n    }\n}\n',
    );
    expect(add('{\n  "name": "backend",\n  "dependencies": {}\n}\n', 'a').text).toBe(
      '{\n  "name": "backend",\n  "dependencies": {\n    "a": "0.1.0"\n  }\n}\n',
    );
  });

  it('should leave the file alone when the dependency is there already', () => {
    expect(add(SORTED, 'express')).toEqual({ changed: false, text: SORTED });
  });

  it('should refuse a file that is not JSON, saying what to add by hand', () => {
    expect(() => add('{ "name": ')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /^cannot add '@internal\/plugin-todo-backend' to the dependencies in 'examples\/backend\/package.json': it is not valid JSON \(/,
        ),
        fix: 'add "@internal/plugin-todo-backend": "0.1.0" to its "dependencies" yourself',
      }),
    );
  });
});
