import type { minimatch } from 'minimatch';

/**
 * The archive and glob libraries load on first use, so a backend that reads no trees never pays
 * for them. A plain `require` (not `import()`) keeps this working in CommonJS test runners.
 */
export function loadTar(): typeof import('tar') {
  return require('tar') as typeof import('tar');
}

/** See {@link loadTar}. */
export function loadMinimatch(): typeof minimatch {
  return (require('minimatch') as typeof import('minimatch')).minimatch;
}
