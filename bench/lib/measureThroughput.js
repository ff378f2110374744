// @ts-check
'use strict';

const autocannon = require('autocannon');
const { startServer } = require('./serverProcess');
const { rotate, summarize } = require('./stats');
const { HEALTH_PATH, ITEMS_PATH, TOKEN } = require('./targets');

/**
 * One autocannon run against 127.0.0.1.
 * @param {{ port: number, path: string, connections: number, durationS: number, auth: boolean }} options
 */
async function load({ port, path, connections, durationS, auth }) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    duration: durationS,
    headers: auth ? { authorization: `Bearer ${TOKEN}` } : {},
  });
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Requests per second and p99 latency on both routes, and RSS after load. Each round starts every
 * target afresh (rotated order), warms it up on both routes, then loads /health and /items for
 * `durationS` each (their order alternates per round) and reads VmRSS.
 * @param {{ targets: import('./targets').Target[], specs: Record<string, import('./serverProcess').ServerSpec>, rounds: number, durationS: number, warmupS: number, connections: number, log: (line: string) => void }} options
 */
async function measureThroughput({ targets, specs, rounds, durationS, warmupS, connections, log }) {
  const routes = [
    { name: 'health', path: HEALTH_PATH, auth: false },
    { name: 'items', path: ITEMS_PATH, auth: true },
  ];
  /** @type {Record<string, Record<string, { rps: number[], p99Ms: number[], p50Ms: number[], cpuUsPerRequest: number[] }> & { rssAfterLoadMb?: number[] }>} */
  const samples = {};
  /** @type {string[]} */
  const problems = [];
  for (const t of targets) {
    samples[t.id] = Object.fromEntries(
      routes.map(r => [r.name, { rps: [], p99Ms: [], p50Ms: [], cpuUsPerRequest: [] }]),
    );
    samples[t.id].rssAfterLoadMb = [];
  }

  for (let round = 0; round < rounds; round++) {
    for (const target of rotate(targets, round)) {
      const spec = specs[target.id];
      const server = await startServer(spec);
      try {
        for (const route of routes) {
          await load({
            port: spec.port,
            path: route.path,
            connections,
            durationS: warmupS,
            auth: route.auth,
          });
        }
        for (const route of round % 2 ? [...routes].reverse() : routes) {
          const cpuBefore = server.cpuMs();
          const r = await load({
            port: spec.port,
            path: route.path,
            connections,
            durationS,
            auth: route.auth,
          });
          if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
            problems.push(
              `${target.id} ${route.path} round ${round + 1}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts of ${r.total}`,
            );
          }
          const bucket = samples[target.id][route.name];
          bucket.rps.push(r.rps);
          bucket.p99Ms.push(r.p99Ms);
          bucket.p50Ms.push(r.p50Ms);
          bucket.cpuUsPerRequest.push(((server.cpuMs() - cpuBefore) * 1000) / r.total);
        }
        samples[target.id].rssAfterLoadMb?.push(server.rssMb());
      } finally {
        await server.stop();
      }
      const s = samples[target.id];
      log(
        `throughput round ${round + 1}/${rounds} ${target.id}: ` +
          `health ${s.health.rps.at(-1)?.toFixed(0)} rps p99 ${s.health.p99Ms.at(-1)} ms ` +
          `${s.health.cpuUsPerRequest.at(-1)?.toFixed(0)} µs CPU/req, ` +
          `items ${s.items.rps.at(-1)?.toFixed(0)} rps p99 ${s.items.p99Ms.at(-1)} ms ` +
          `${s.items.cpuUsPerRequest.at(-1)?.toFixed(0)} µs CPU/req, ` +
          `rss ${s.rssAfterLoadMb?.at(-1)?.toFixed(0)} MB`,
      );
    }
  }

  const results = Object.fromEntries(
    targets.map(t => {
      const s = samples[t.id];
      return [
        t.id,
        {
          healthRps: summarize(s.health.rps),
          healthP99Ms: summarize(s.health.p99Ms),
          healthP50Ms: summarize(s.health.p50Ms),
          healthCpuUsPerRequest: summarize(s.health.cpuUsPerRequest),
          itemsRps: summarize(s.items.rps),
          itemsP99Ms: summarize(s.items.p99Ms),
          itemsP50Ms: summarize(s.items.p50Ms),
          itemsCpuUsPerRequest: summarize(s.items.cpuUsPerRequest),
          rssAfterLoadMb: summarize(s.rssAfterLoadMb ?? []),
        },
      ];
    }),
  );
  return { results, problems };
}

module.exports = { measureThroughput };
