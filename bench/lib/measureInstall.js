// @ts-check
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const paths = require('./paths');
const { summarize } = require('./stats');

/** The Backplane packages a fresh backend with the default features depends on. */
const BACKPLANE_PACKAGES = ['plugin-api', 'runtime', 'defaults'];

/** Install scripts allowed in the fresh projects: only the SQLite driver's native build. */
const ALLOW_SCRIPTS = { 'better-sqlite3': true, 'core-js': false, protobufjs: false };

/**
 * Runs npm and resolves with the wall time in ms; rejects with the output tail on failure.
 * @param {string[]} args
 * @param {string} cwd
 */
function timedNpm(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('exit', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else
        reject(
          new Error(
            `'npm ${args.join(' ')}' failed in '${cwd}' (exit ${code}):\n${output.slice(-3000)}`,
          ),
        );
    });
  });
}

/**
 * Installed packages under a node_modules folder, nested ones included (a folder with a
 * package.json that has a name, under node_modules or a node_modules/@scope).
 * @param {string} nodeModules
 * @returns {number}
 */
function countPackages(nodeModules) {
  let count = 0;
  /** @param {string} dir */
  const visit = dir => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(full);
        continue;
      }
      if (fs.existsSync(path.join(full, 'package.json'))) count++;
      visit(path.join(full, 'node_modules'));
    }
  };
  visit(nodeModules);
  return count;
}

/** `du -sb` of a folder: apparent size in bytes. @param {string} dir */
function duBytes(dir) {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

/**
 * Packs the Backplane workspace packages with `npm pack` (their built dist and package.json, as
 * they would be published) into `dir`.
 * @param {string} dir
 * @returns {string[]} tarball paths
 */
function packBackplane(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return BACKPLANE_PACKAGES.map(name => {
    const out = execFileSync(
      'npm',
      ['pack', '--pack-destination', dir, '--json', path.join(paths.repoRoot, 'packages', name)],
      { cwd: paths.repoRoot, encoding: 'utf8' },
    );
    const [info] = JSON.parse(out);
    return path.join(dir, info.filename);
  });
}

/**
 * Writes the package.json of a fresh backend project.
 * @param {string} dir
 * @param {Record<string, string>} dependencies
 */
function writeProject(dir, dependencies) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'fresh-backend',
        private: true,
        version: '0.0.0',
        dependencies,
        allowScripts: ALLOW_SCRIPTS,
      },
      null,
      2,
    ),
  );
}

/**
 * Install size, package count and install time of a fresh backend with the default features:
 * the official runtime from the registry, Backplane from `npm pack` tarballs of the workspace
 * (its third-party dependencies from the registry). Each install goes into a new temp folder,
 * alternating, `rounds` times each. With `coldCache` every install gets an empty npm cache;
 * otherwise the user's cache is used with --prefer-offline.
 * @param {{ rounds: number, coldCache: boolean, log: (line: string) => void }} options
 */
async function measureInstall({ rounds, coldCache, log }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-bench-install-'));
  try {
    const tarballs = packBackplane(path.join(root, 'tarballs'));
    const projects = {
      backplane: {
        '@backplane/plugin-api': `file:${tarballs[0]}`,
        '@backplane/runtime': `file:${tarballs[1]}`,
        '@backplane/defaults': `file:${tarballs[2]}`,
      },
      official: {
        '@backstage/backend-defaults': '0.19.0',
        '@backstage/backend-plugin-api': '1.12.0',
        // An optional peer of backend-defaults: a Backstage backend adds it for the SQLite default.
        'better-sqlite3': '^12.0.0',
      },
    };

    const descriptions = {
      backplane: BACKPLANE_PACKAGES.map(name => `npm pack of packages/${name}`),
      official: Object.entries(projects.official).map(([name, range]) => `${name}@${range}`),
    };
    /** @type {Record<string, { ms: number[], bytes: number[], packages: number[] }>} */
    const samples = {
      backplane: { ms: [], bytes: [], packages: [] },
      official: { ms: [], bytes: [], packages: [] },
    };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['official', 'backplane'] : ['backplane', 'official'];
      for (const id of order) {
        const dir = path.join(root, `${id}-${round}`);
        writeProject(dir, projects[/** @type {'backplane' | 'official'} */ (id)]);
        const args = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--omit=dev'];
        if (coldCache) args.push('--cache', path.join(root, `cache-${id}-${round}`));
        else args.push('--prefer-offline');
        const ms = await timedNpm(args, dir);
        const nodeModules = path.join(dir, 'node_modules');
        const bytes = duBytes(nodeModules);
        const packages = countPackages(nodeModules);
        samples[id].ms.push(ms);
        samples[id].bytes.push(bytes);
        samples[id].packages.push(packages);
        log(
          `install ${round + 1}/${rounds} ${id}: ${(ms / 1000).toFixed(1)} s, ` +
            `${(bytes / 1e6).toFixed(1)} MB, ${packages} packages`,
        );
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    return Object.fromEntries(
      Object.entries(samples).map(([id, s]) => [
        id,
        {
          installMs: summarize(s.ms),
          installMb: summarize(s.bytes.map(b => b / 1e6)),
          packageCount: summarize(s.packages),
          dependencies: descriptions[/** @type {'backplane' | 'official'} */ (id)],
        },
      ]),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = { measureInstall, countPackages };
