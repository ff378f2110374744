import { findRepoRoot } from '../paths/findRepoRoot';
import { findSourceAliases } from './findSourceAliases';

/**
 * The Vitest config `backplane test` uses for packages without their own: the package's
 * `src/**\/*.test.ts` files, with workspace packages resolved to their TypeScript sources.
 */
const vitestConfig = {
  resolve: { alias: findSourceAliases(findRepoRoot(process.cwd())) },
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/__fixtures__/**'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
};

export default vitestConfig;
