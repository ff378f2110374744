// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const paths = require('./paths');
const { summarize } = require('./stats');

const RUNTIMES = ['backplane', 'official'];

/**
 * Runs a command and resolves with its wall time in ms and stdout; rejects with output on failure.
 * @param {string[]} args node arguments
 * @param {string} cwd
 * @returns {Promise<{ ms: number, stdout: string }>}
 */
function timedNode(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('exit', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ ms, stdout });
      else
        reject(
          new Error(
            `'node ${args.join(' ')}' failed (exit ${code}):\n${(stdout + stderr).slice(-3000)}`,
          ),
        );
    });
  });
}

/** True when the built Backplane test-utils exports startTestBackend. */
function backplaneHasStartTestBackend() {
  // Checked in a child process so the bench process does not load the test-utils itself.
  const probe =
    "process.exit(typeof require('@backplane/test-utils').startTestBackend === 'function' ? 0 : 1)";
  try {
    execFileSync(process.execPath, ['-e', probe], { cwd: paths.repoRoot, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * startTestBackend with the example plugin on Backplane's test-utils and on
 * @backstage/backend-test-utils, alternating, `runs` fresh processes each:
 * - start+stop: the first startTestBackend + one GET + stop() in a fresh process (what one test
 *   pays), and the median of the following ones in the same process (warm);
 * - the module load time of the test-utils package;
 * - one-test file: wall time of `vitest run` on a file with one such test (same vitest, same
 *   config for both), and on a file with one test and no backend (`baseline.test.mjs`): the
 *   runner's own floor, which neither test-utils can go below.
 * @param {{ runs: number, log: (line: string) => void }} options
 */
async function measureTestBackend({ runs, log }) {
  if (!backplaneHasStartTestBackend()) {
    return {
      skipped:
        "the built @backplane/test-utils has no startTestBackend export (run 'npm run build' first)",
    };
  }
  const dir = path.join(paths.benchDir, 'testBackend');
  const cwd = paths.tmpDir;
  fs.mkdirSync(cwd, { recursive: true });
  const vitest = require.resolve('vitest/vitest.mjs', { paths: [paths.repoRoot] });

  /** @type {Record<string, { importMs: number[], firstMs: number[], warmMs: number[], fileMs: number[] }>} */
  const samples = Object.fromEntries(
    RUNTIMES.map(r => [r, { importMs: [], firstMs: [], warmMs: [], fileMs: [] }]),
  );
  /** @type {number[]} */
  const floorMs = [];
  const runFile = (/** @type {string} */ name) =>
    timedNode(
      [vitest, 'run', '--config', path.join(dir, 'vitest.config.mjs'), `${name}.test.mjs`],
      cwd,
    );
  for (let run = 0; run < runs; run++) {
    floorMs.push((await runFile('baseline')).ms);
    for (const runtime of run % 2 ? [...RUNTIMES].reverse() : RUNTIMES) {
      const { stdout } = await timedNode([path.join(dir, 'startStop.js'), runtime, '6'], cwd);
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      samples[runtime].importMs.push(result.importMs);
      samples[runtime].firstMs.push(result.firstMs);
      samples[runtime].warmMs.push(summarize(result.warmMs).median);

      const file = await runFile(runtime);
      samples[runtime].fileMs.push(file.ms);
      log(
        `test backend ${run + 1}/${runs} ${runtime}: load ${result.importMs.toFixed(0)} ms, ` +
          `first start+stop ${result.firstMs.toFixed(0)} ms, one-test file ${file.ms.toFixed(0)} ms`,
      );
    }
  }
  return {
    runnerFloorMs: summarize(floorMs),
    ...Object.fromEntries(
      RUNTIMES.map(r => [
        r,
        {
          testUtilsLoadMs: summarize(samples[r].importMs),
          startStopFirstMs: summarize(samples[r].firstMs),
          startStopWarmMs: summarize(samples[r].warmMs),
          oneTestFileMs: summarize(samples[r].fileMs),
        },
      ]),
    ),
  };
}

module.exports = { measureTestBackend };
