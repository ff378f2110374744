import { findRepoRoot } from '../paths/findRepoRoot';
import { findSourceAliases } from './findSourceAliases';

/**
 * The Vitest config `backplane test` uses for packages without their own: the package's
 * `src/**\/*.test.ts` files, with workspace packages resolved to their TypeScript sources, and
 * Vitest's globals on, so that bare `describe`/`it` work and the test utilities register their
 * `afterAll` clean-up by themselves.
 */
const vitestConfig = {
  resolve: { alias: findSourceAliases(findRepoRoot(process.cwd())) },
  test: {
    globals: true,
    include: ['src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/__fixtures__/**'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
};

export default vitestConfig;
