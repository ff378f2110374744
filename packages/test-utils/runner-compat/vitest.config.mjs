// Runs example.test.js against the built package, with the test globals Vitest users turn on.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.js'],
    globals: true,
    pool: 'forks',
  },
});
