// @ts-check
'use strict';

const { startServer } = require('./serverProcess');
const { rotate, summarize } = require('./stats');

/**
 * Cold start and RSS at ready: `runs` rounds; in each, every target (rotated order) is spawned,
 * timed to its first 200 on the open route, its VmRSS read, then stopped.
 * @param {{ targets: import('./targets').Target[], specs: Record<string, import('./serverProcess').ServerSpec>, runs: number, log: (line: string) => void }} options
 */
async function measureColdStart({ targets, specs, runs, log }) {
  /** @type {Record<string, { readyMs: number[], rssAtReadyMb: number[] }>} */
  const samples = Object.fromEntries(targets.map(t => [t.id, { readyMs: [], rssAtReadyMb: [] }]));

  for (let round = 0; round < runs; round++) {
    for (const target of rotate(targets, round)) {
      const server = await startServer(specs[target.id]);
      await server.stop();
      samples[target.id].readyMs.push(server.readyMs);
      samples[target.id].rssAtReadyMb.push(server.rssAtReadyMb);
    }
    log(
      `cold start ${round + 1}/${runs}: ` +
        targets.map(t => `${t.id} ${samples[t.id].readyMs.at(-1)?.toFixed(0)} ms`).join(', '),
    );
  }

  return Object.fromEntries(
    targets.map(t => [
      t.id,
      {
        coldStartMs: summarize(samples[t.id].readyMs),
        rssAtReadyMb: summarize(samples[t.id].rssAtReadyMb),
      },
    ]),
  );
}

module.exports = { measureColdStart };
