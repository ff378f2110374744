import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backplaneErrorCodes } from './errorCodes';

const docs = readFileSync(resolve(__dirname, '../../../../docs/errors.md'), 'utf8');

describe('backplaneErrorCodes', () => {
  it('should document every code in docs/errors.md', () => {
    const undocumented = Object.keys(backplaneErrorCodes).filter(
      code => !docs.includes(`| \`${code}\``),
    );

    expect(undocumented).toEqual([]);
  });

  it('should list only codes the runtime uses', () => {
    const documented = [...docs.matchAll(/\| `(BACKPLANE_[A-Z_]+)`/g)].map(m => m[1]);

    expect(documented.sort()).toEqual(Object.keys(backplaneErrorCodes).sort());
  });
});
