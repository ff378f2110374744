// @ts-check
'use strict';

const path = require('node:path');

const benchDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(benchDir, '..');

/** Fixed locations the bench reads and writes. */
module.exports = {
  benchDir,
  repoRoot,
  tmpDir: path.join(benchDir, '.tmp'),
  resultsDir: path.join(benchDir, 'results'),
  docsFile: path.join(repoRoot, 'docs', 'benchmarks.md'),
  examplePluginDir: path.join(repoRoot, 'plugins', 'example-backend'),
};
