import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '../../../..');
const PROBE = resolve(__dirname, '__fixtures__/staticTokenProbe.ts');

describe('DefaultAuthService', () => {
  // Module loading inside vitest goes through vite, so the probe runs in a plain node process.
  it('should verify static tokens without loading jose, and load it for the first JWT', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', PROBE],
      { cwd: REPO_ROOT, timeout: 30_000 },
    );

    expect(JSON.parse(stdout)).toEqual({
      loadedAtStart: false,
      staticToken: 'smoke-tests',
      dottedToken: 'dotted',
      unknownToken: { error: 'Illegal token' },
      loadedAfterStatic: false,
      jwt: { error: "Invalid plugin token: it was issued for plugin 'search', not for 'catalog'" },
      loadedAfterJwt: true,
    });
  }, 40_000);
});
