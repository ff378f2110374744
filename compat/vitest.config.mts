import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packages = resolve(root, 'packages');

/**
 * Runs the compatibility tests from the repository root:
 * `npx vitest run --config compat/vitest.config.mts`. `@backplane/*` resolves to sources, as in the
 * root config; the real Backstage plugins resolve from `compat/node_modules`.
 */
export default defineConfig({
  root,
  resolve: {
    alias: [
      // First-party plugins: @backplane/plugin-<name>-backend lives in plugins/<name>-backend.
      {
        find: /^@backplane\/plugin-([a-z-]+-backend)$/,
        replacement: `${root}/plugins/$1/src/index.ts`,
      },
      { find: /^@backplane\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@backplane\/([a-z-]+)\/(.+)$/, replacement: `${packages}/$1/src/$2/index.ts` },
    ],
  },
  test: {
    include: ['compat/src/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
