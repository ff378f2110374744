import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planPackage } from './planPackage';

const WRITING_A_PLUGIN = join(__dirname, '..', '..', '..', '..', 'docs', 'writing-a-plugin.md');

/** The fenced block that follows the first line containing `marker`. */
function blockAfter(text: string, marker: string): string {
  const start = text.indexOf(marker);
  expect(start, `'${marker}' in docs/writing-a-plugin.md`).toBeGreaterThanOrEqual(0);
  const open = text.indexOf('```', start);
  const bodyStart = text.indexOf('\n', open) + 1;
  return text.slice(bodyStart, text.indexOf('```', bodyStart));
}

describe('planPackage', () => {
  const plan = planPackage({ template: 'backend-plugin', pluginId: 'todo', owner: '' });
  const docs = readFileSync(WRITING_A_PLUGIN, 'utf8');

  it('should name the package and its folder after the plugin id', () => {
    expect(plan).toMatchObject({
      kind: 'plugin',
      relativeDir: 'plugins/todo-backend',
      packageName: '@internal/plugin-todo-backend',
    });
  });

  it('should write the files that docs/writing-a-plugin.md lists, no more and no fewer', () => {
    const listed = blockAfter(docs, '## What `backplane new` writes')
      .split('\n')
      .map(line => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined);

    expect(listed.sort()).toEqual([...plan.files.keys()].sort());
  });

  it('should write the src/plugin.ts that docs/writing-a-plugin.md shows', () => {
    expect(blockAfter(docs, 'This is the `src/plugin.ts` that `backplane new` writes')).toBe(
      plan.files.get('src/plugin.ts'),
    );
  });
});
