// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const autocannon = require('autocannon');
const { analyzeProfile } = require('./analyzeProfile');
const { startServer } = require('./serverProcess');
const { HEALTH_PATH, ITEMS_PATH, TOKEN } = require('./targets');

/** @param {number} ms */
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The newest .cpuprofile in a folder (node names them itself).
 * @param {string} dir
 */
function newestProfile(dir) {
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.cpuprofile'))
    .map(f => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!files[0])
    throw new Error(
      `node --cpu-prof wrote no profile into '${dir}'; did the server exit cleanly on SIGTERM?`,
    );
  return files[0];
}

/**
 * CPU profiles of one target with `node --cpu-prof`: its start-up (spawn to the first 200, sampled
 * every 100 µs) and each route under load (50 connections, after a warm-up). Only the samples of
 * the phase in question are counted.
 * @param {{ spec: import('./serverProcess').ServerSpec, outDir: string, durationS: number, warmupS: number, connections: number, log: (line: string) => void }} options
 */
async function profileTarget({ spec, outDir, durationS, warmupS, connections, log }) {
  fs.rmSync(outDir, { recursive: true, force: true });

  const startupDir = path.join(outDir, 'startup');
  fs.mkdirSync(startupDir, { recursive: true });
  const started = await startServer(spec, {
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', startupDir, '--cpu-prof-interval', '100'],
  });
  await sleep(1000);
  await started.stop();
  const startup = analyzeProfile(newestProfile(startupDir), { toMs: started.readyMs + 200 });
  log(`profiled start-up of '${spec.id}': ready in ${started.readyMs.toFixed(0)} ms`);

  /** @type {Record<string, ReturnType<typeof analyzeProfile>>} */
  const routes = {};
  for (const route of [
    { name: 'health', path: HEALTH_PATH, auth: false },
    { name: 'items', path: ITEMS_PATH, auth: true },
  ]) {
    const dir = path.join(outDir, route.name);
    fs.mkdirSync(dir, { recursive: true });
    const server = await startServer(spec, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
    /** @type {{ url: string, connections: number, headers: Record<string, string> }} */
    const options = {
      url: `http://127.0.0.1:${spec.port}${route.path}`,
      connections,
      headers: route.auth ? { authorization: `Bearer ${TOKEN}` } : {},
    };
    await autocannon({ ...options, duration: warmupS });
    const fromMs = Number(process.hrtime.bigint() - server.spawnedAt) / 1e6;
    const result = await autocannon({ ...options, duration: durationS });
    const toMs = Number(process.hrtime.bigint() - server.spawnedAt) / 1e6;
    await server.stop();
    routes[route.name] = analyzeProfile(newestProfile(dir), { fromMs, toMs });
    log(
      `profiled ${route.path} on '${spec.id}': ${result.requests.average.toFixed(0)} rps under the profiler`,
    );
  }
  return { startup, ...routes };
}

/**
 * The profile as Markdown: per phase, busy time, top packages by self time, top functions by self
 * and by inclusive time.
 * @param {string} title
 * @param {Record<string, ReturnType<typeof analyzeProfile>>} phases
 */
function renderProfile(title, phases) {
  const lines = [`# ${title}`, ''];
  for (const [phase, data] of Object.entries(phases)) {
    lines.push(
      `## ${phase}`,
      '',
      `Busy ${data.busyMs} ms, idle ${data.idleMs} ms (${path.basename(data.file)}).`,
      '',
    );
    /** @param {string} heading @param {{ name: string, ms: number, share: number }[]} rows @param {number} n */
    const table = (heading, rows, n) => {
      lines.push(`### ${heading}`, '', '| share of busy | ms | where |', '|---:|---:|---|');
      for (const row of rows.slice(0, n))
        lines.push(`| ${row.share}% | ${row.ms} | \`${row.name}\` |`);
      lines.push('');
    };
    table('Self time by package', data.selfByPackage, 15);
    table('Self time by function', data.selfByFunction, 25);
    table('Inclusive time by function', data.inclusiveByFunction, 25);
  }
  return lines.join('\n');
}

module.exports = { profileTarget, renderProfile };
