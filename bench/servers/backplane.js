// @ts-check
'use strict';

// Backplane: createBackend() from the built @backplane/defaults and the example plugin from the
// repo's built plugins/example-backend/dist. Config comes from the --config file the bench wrote.
const path = require('node:path');
const { createBackend } = require('@backplane/defaults');

const backend = createBackend();
backend.add(
  require(path.resolve(__dirname, '../../plugins/example-backend/dist/index.js')).default,
);
backend.start();
