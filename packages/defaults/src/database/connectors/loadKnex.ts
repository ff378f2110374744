import type { knex } from 'knex';

/**
 * Knex loads on first use, so a backend whose plugins use no database never pays for it. A plain
 * `require` (not `import()`) keeps this working in CommonJS test runners such as Jest.
 */
export function loadKnex(): typeof knex {
  return (require('knex') as typeof import('knex')).knex;
}
