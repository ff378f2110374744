#!/usr/bin/env node
// @ts-check
'use strict';

// Entry of `npm run bench`: installs bench/ if needed, builds the repo, then measures the example
// plugin on Backplane, the official runtime, plain Fastify and plain node:http. See README.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const paths = require('./lib/paths');

const SECTIONS = ['coldstart', 'throughput', 'install', 'testbackend'];

const HELP = `Usage: npm run bench [-- options]   (or: node bench/run.js [options])

  --quick              smoke run: 3 cold starts, 1 round of 3 s per route, no install section;
                       results go to results/<date>-quick.json and docs are not touched
  --only=a,b           run only these sections: ${SECTIONS.join(', ')}
  --skip=a,b           skip these sections
  --targets=a,b        servers to measure (default backplane,official,fastify,nodeHttp)
  --profile            profile Backplane (node --cpu-prof) instead of benchmarking; writes
                       results/<date>-profile.md and .json
  --profile-target=id  profile another server (e.g. official)
  --cold-cache         install with an empty npm cache (default: warm cache, --prefer-offline)
  --no-build           use the existing dist/ instead of running 'npm run build' first
  --no-docs            do not update docs/benchmarks.md (only full runs update it; partial
                       runs write results/<date>-partial.json)
  --help               this text
`;

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string | boolean>} */
  const flags = {};
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Unknown argument '${arg}'; run with --help for the options`);
    flags[match[1]] = match[2] ?? true;
  }
  const known = [
    'quick',
    'only',
    'skip',
    'targets',
    'profile',
    'profile-target',
    'cold-cache',
    'no-build',
    'no-docs',
    'help',
  ];
  for (const key of Object.keys(flags)) {
    if (!known.includes(key))
      throw new Error(`Unknown option '--${key}'; run with --help for the options`);
  }
  const list = (/** @type {string | boolean | undefined} */ v) =>
    typeof v === 'string' ? v.split(',').filter(Boolean) : [];
  const quick = flags.quick === true;
  let sections = flags.only
    ? list(flags.only)
    : quick
      ? ['coldstart', 'throughput', 'testbackend']
      : SECTIONS;
  sections = sections.filter(s => !list(flags.skip).includes(s));
  for (const s of sections) {
    if (!SECTIONS.includes(s))
      throw new Error(`Unknown section '${s}'; sections are ${SECTIONS.join(', ')}`);
  }
  return {
    help: flags.help === true,
    quick,
    sections,
    targets: list(flags.targets),
    profile: flags.profile === true,
    profileTarget:
      typeof flags['profile-target'] === 'string' ? flags['profile-target'] : 'backplane',
    coldCache: flags['cold-cache'] === true,
    build: flags['no-build'] !== true,
    docs: flags['no-docs'] !== true && !quick,
    settings: quick
      ? {
          coldStartRuns: 3,
          rounds: 1,
          durationS: 3,
          warmupS: 1,
          connections: 50,
          installRounds: 1,
          testRuns: 1,
        }
      : {
          coldStartRuns: 10,
          rounds: 3,
          durationS: 10,
          warmupS: 2,
          connections: 50,
          installRounds: 1,
          testRuns: 10,
        },
  };
}

/** Installs bench/ from its lockfile when node_modules is missing. */
function ensureInstalled() {
  const marker = path.join(paths.benchDir, 'node_modules', '.package-lock.json');
  if (fs.existsSync(marker)) return;
  log('installing bench/ dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: paths.benchDir,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error("'npm ci' in bench/ failed; see the output above");
}

/** Builds the repo so the servers run the current code from dist/. */
function build() {
  log('building the repo (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: paths.repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      "'npm run build' failed; fix the build, or pass --no-build to measure the existing dist/",
    );
  }
}

const startedAt = Date.now();
/** @param {string} line */
function log(line) {
  const s = ((Date.now() - startedAt) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[bench ${s}s] ${line}\n`);
}

/** @param {string} name */
function versionOf(name) {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [paths.benchDir] });
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function backplaneVersion() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: paths.repoRoot,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'plugins'], {
      cwd: paths.repoRoot,
      encoding: 'utf8',
    }).trim();
    return `commit ${commit}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown commit';
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvgStart: os.loadavg(),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  ensureInstalled();
  if (options.build) build();

  // Loaded after the install: these need bench/node_modules.
  const { TARGETS, prepareTarget, linkExamplePlugin } = require('./lib/targets');
  const date = new Date().toISOString().slice(0, 10);
  fs.mkdirSync(paths.resultsDir, { recursive: true });
  linkExamplePlugin();
  const runDir = path.join(paths.tmpDir, 'run');

  if (options.profile) {
    const { profileTarget, renderProfile } = require('./lib/profile');
    const target = TARGETS.find(t => t.id === options.profileTarget);
    if (!target)
      throw new Error(
        `Unknown --profile-target '${options.profileTarget}'; use one of ${TARGETS.map(t => t.id).join(', ')}`,
      );
    log(`preparing '${target.id}'…`);
    const spec = await prepareTarget(target, runDir);
    const phases = await profileTarget({
      spec,
      outDir: path.join(paths.tmpDir, 'profiles', target.id),
      durationS: options.quick ? 3 : 10,
      warmupS: 2,
      connections: 50,
      log,
    });
    const base = path.join(
      paths.resultsDir,
      `${date}-profile${target.id === 'backplane' ? '' : `-${target.id}`}`,
    );
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(phases, null, 2)}\n`);
    fs.writeFileSync(
      `${base}.md`,
      `${renderProfile(`CPU profile of '${target.id}', ${date}, Backplane at ${backplaneVersion()}`, phases)}\n`,
    );
    log(
      `wrote ${path.relative(paths.repoRoot, base)}.md and .json (profiles under bench/.tmp/profiles)`,
    );
    return;
  }

  const targets = options.targets.length
    ? TARGETS.filter(t => options.targets.includes(t.id))
    : TARGETS;
  const partial = targets.length !== TARGETS.length || options.sections.length !== SECTIONS.length;
  const suffix = options.quick ? '-quick' : partial ? '-partial' : '';
  const results = {
    date,
    file: `${date}${suffix}.json`,
    mode: options.quick ? 'quick' : 'full',
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: '',
    machine: machine(),
    versions: {
      backplane: backplaneVersion(),
      backendDefaults: versionOf('@backstage/backend-defaults'),
      backendTestUtils: versionOf('@backstage/backend-test-utils'),
      fastify: versionOf('fastify'),
      knex: versionOf('knex'),
      betterSqlite3: versionOf('better-sqlite3'),
      autocannon: versionOf('autocannon'),
    },
    settings: options.settings,
    sections: options.sections,
    /** @type {string[]} */
    problems: [],
    /** @type {any} */ coldStart: undefined,
    /** @type {any} */ throughput: undefined,
    /** @type {any} */ install: undefined,
    /** @type {any} */ testBackend: undefined,
  };

  /** @type {Record<string, import('./lib/serverProcess').ServerSpec>} */
  const specs = {};
  if (options.sections.includes('coldstart') || options.sections.includes('throughput')) {
    for (const target of targets) {
      log(
        `preparing '${target.id}' (setup start, seed ${require('./lib/seed').ROW_COUNT} rows, check both routes)…`,
      );
      specs[target.id] = await prepareTarget(target, runDir);
    }
  }

  if (options.sections.includes('coldstart')) {
    const { measureColdStart } = require('./lib/measureColdStart');
    results.coldStart = await measureColdStart({
      targets,
      specs,
      runs: options.settings.coldStartRuns,
      log,
    });
  }
  if (options.sections.includes('throughput')) {
    const { measureThroughput } = require('./lib/measureThroughput');
    const { results: throughput, problems } = await measureThroughput({
      targets,
      specs,
      ...options.settings,
      log,
    });
    results.throughput = throughput;
    results.problems.push(...problems);
  }
  if (options.sections.includes('install')) {
    const { measureInstall } = require('./lib/measureInstall');
    const install = await measureInstall({
      rounds: options.settings.installRounds,
      coldCache: options.coldCache,
      log,
    });
    results.install = {
      ...install,
      rounds: options.settings.installRounds,
      cache: options.coldCache ? 'empty npm cache per install' : 'warm npm cache, --prefer-offline',
    };
  }
  if (options.sections.includes('testbackend')) {
    const { measureTestBackend } = require('./lib/measureTestBackend');
    results.testBackend = await measureTestBackend({ runs: options.settings.testRuns, log });
  }

  results.finishedAt = new Date().toISOString();
  /** @type {any} */ (results.machine).loadAvgEnd = os.loadavg();
  const out = path.join(paths.resultsDir, results.file);
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${path.relative(paths.repoRoot, out)}`);

  const { renderResultsBlock, writeBenchmarksDoc } = require('./lib/renderMarkdown');
  process.stdout.write(`\n${renderResultsBlock(results)}\n`);
  if (options.docs && !partial) {
    writeBenchmarksDoc(paths.docsFile, results);
    log(`updated ${path.relative(paths.repoRoot, paths.docsFile)}`);
  }
}

main().catch(error => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
