import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The versions generated packages depend on. Backplane packages are released together, so they use
 * the version of this CLI.
 */
export function packageVersions(): Record<string, string> {
  const cliPackage = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as { version: string };
  const backplane = `^${cliPackage.version}`;

  return {
    '@backplane/cli': backplane,
    '@backplane/plugin-api': backplane,
    '@backplane/test-utils': backplane,
    express: '^4.22.3',
    'express-promise-router': '^4.1.1',
    supertest: '^7.3.2',
    typescript: '~5.8.3',
    vitest: '^3.2.7',
    '@types/express': '^4.17.25',
    '@types/node': '^20.19.43',
    '@types/supertest': '^7.2.1',
  };
}
