#!/usr/bin/env node
'use strict';

// Inside the Backplane repository this runs the TypeScript sources, through tsx's hooks for both
// require() and import(); an installed package runs its built dist.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'src', 'main.ts');
if (existsSync(source)) {
  import('tsx').then(() => require(source).main());
} else {
  require('../dist/main.js').main();
}
