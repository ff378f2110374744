// @ts-check
'use strict';

// The official runtime: createBackend() from @backstage/backend-defaults (installed in bench/)
// and the SAME built example plugin as the Backplane server.
const path = require('node:path');
const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(
  require(path.resolve(__dirname, '../../plugins/example-backend/dist/index.js')).default,
);
backend.start();
