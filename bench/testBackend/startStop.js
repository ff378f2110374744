// @ts-check
'use strict';

// Times startTestBackend with the example plugin, one GET on its open route, and stop(), outside
// any test runner. Usage: node startStop.js <backplane|official> <iterations>
// Prints one JSON line: { importMs, firstMs, warmMs: [...] }.
const path = require('node:path');
const http = require('node:http');

const runtime = process.argv[2];
const iterations = Number(process.argv[3] ?? 6);
const pluginPath = path.resolve(__dirname, '../../plugins/example-backend/dist/index.js');

/** @param {number} port */
function getHealth(port) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/api/example/health', agent: false }, res => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(undefined)
            : reject(new Error(`status ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function main() {
  const t0 = performance.now();
  const testUtils =
    runtime === 'official'
      ? require('@backstage/backend-test-utils')
      : require('@backplane/test-utils');
  const plugin = require(pluginPath).default;
  const importMs = performance.now() - t0;

  const times = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const backend = await testUtils.startTestBackend({ features: [plugin] });
    const address = backend.server.address();
    await getHealth(typeof address === 'object' && address ? address.port : 0);
    await backend.stop();
    times.push(performance.now() - started);
  }
  process.stdout.write(
    `${JSON.stringify({ importMs, firstMs: times[0], warmMs: times.slice(1) })}\n`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
