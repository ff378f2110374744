// @ts-check
'use strict';

/**
 * Reads what every bench server needs from the environment the bench sets:
 * BENCH_PORT, BENCH_DATA_DIR (holds example.sqlite) and BENCH_TOKEN (the static bearer token).
 * @returns {{ port: number, host: string, dataDir: string, token: string }}
 */
function readServerEnv() {
  const port = Number(process.env.BENCH_PORT);
  const dataDir = process.env.BENCH_DATA_DIR;
  const token = process.env.BENCH_TOKEN;
  if (!Number.isInteger(port) || !dataDir || !token) {
    throw new Error(
      'Bench server started without BENCH_PORT, BENCH_DATA_DIR and BENCH_TOKEN; start it through bench/run.js',
    );
  }
  return { port, host: '127.0.0.1', dataDir, token };
}

module.exports = { readServerEnv };
