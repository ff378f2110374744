import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const packages = resolve(import.meta.dirname, 'packages');
const plugins = resolve(import.meta.dirname, 'plugins');

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@backplane\/plugin-([a-z-]+-backend)$/, replacement: `${plugins}/$1/src/index.ts` },
      { find: /^@backplane\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@backplane\/([a-z-]+)\/(.+)$/, replacement: `${packages}/$1/src/$2/index.ts` },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'plugins/*/src/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
    ],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    globals: true,
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
