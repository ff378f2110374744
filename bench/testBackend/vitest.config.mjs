// The one-test-file comparison: same runner and settings for both runtimes, built code only.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  test: {
    globals: true,
    include: ['*.test.mjs'],
    pool: 'forks',
    watch: false,
  },
});
