// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const paths = require('./paths');
const { findFreePort, get, startServer } = require('./serverProcess');
const { seedMigratedDatabase, seedPlainDatabase, ROW_COUNT } = require('./seed');

/** The static bearer token every target accepts on /items (32 characters, no spaces). */
const TOKEN = 'bench-static-token-0123456789abc';

const HEALTH_PATH = '/api/example/health';
const ITEMS_PATH = '/api/example/items';

/**
 * @typedef {object} Target
 * @property {string} id
 * @property {string} label
 * @property {'backend' | 'plain'} kind backends run the example plugin's migration, plain servers get a pre-made file
 * @property {string} script
 */

/** @type {Target[]} */
const TARGETS = [
  {
    id: 'backplane',
    label: 'Backplane',
    kind: 'backend',
    script: path.join(paths.benchDir, 'servers', 'backplane.js'),
  },
  {
    id: 'official',
    label: 'Official runtime',
    kind: 'backend',
    script: path.join(paths.benchDir, 'servers', 'official.js'),
  },
  {
    id: 'fastify',
    label: 'Plain Fastify',
    kind: 'plain',
    script: path.join(paths.benchDir, 'servers', 'fastify.js'),
  },
  {
    id: 'nodeHttp',
    label: 'Plain node:http',
    kind: 'plain',
    script: path.join(paths.benchDir, 'servers', 'nodeHttp.js'),
  },
];

/**
 * The app-config the two backends read: 127.0.0.1 only, SQLite files under dataDir, the static token.
 * @param {number} port
 * @param {string} dataDir
 */
function backendConfig(port, dataDir) {
  return [
    'backend:',
    `  baseUrl: http://127.0.0.1:${port}`,
    '  listen:',
    `    port: ${port}`,
    '    host: 127.0.0.1',
    '  database:',
    '    client: better-sqlite3',
    '    connection:',
    `      directory: ${JSON.stringify(dataDir)}`,
    '  auth:',
    '    externalAccess:',
    '      - type: static',
    '        options:',
    `          token: ${TOKEN}`,
    '          subject: bench',
    '',
  ].join('\n');
}

/**
 * Makes the example plugin's package resolvable by name (its migrations are found with
 * resolvePackagePath) even when the root install has not linked the workspace yet: a link under
 * bench/.tmp/node_modules, which every target's working folder sits below.
 */
function linkExamplePlugin() {
  try {
    require.resolve('@backplane/plugin-example-backend/package.json', { paths: [paths.repoRoot] });
    return;
  } catch {
    const link = path.join(paths.tmpDir, 'node_modules', '@backplane', 'plugin-example-backend');
    if (fs.existsSync(link)) return;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(paths.examplePluginDir, link, 'dir');
  }
}

/**
 * Creates the target's working folder, config and seeded SQLite file. Backends are started once on
 * an empty folder so the plugin's own migration creates the table, then stopped and seeded; that
 * start is not measured.
 * @param {Target} target
 * @param {string} runDir
 * @returns {Promise<import('./serverProcess').ServerSpec>}
 */
async function prepareTarget(target, runDir) {
  const dir = path.join(runDir, target.id);
  const dataDir = path.join(dir, 'data');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await findFreePort();

  const args = [target.script];
  if (target.kind === 'backend') {
    const configFile = path.join(dir, 'app-config.yaml');
    fs.writeFileSync(configFile, backendConfig(port, dataDir));
    args.push('--config', configFile);
  }
  /** @type {import('./serverProcess').ServerSpec} */
  const spec = {
    id: target.id,
    args,
    cwd: dir,
    env: {
      NODE_ENV: 'production',
      BENCH_PORT: String(port),
      BENCH_DATA_DIR: dataDir,
      BENCH_TOKEN: TOKEN,
    },
    port,
    readyPath: HEALTH_PATH,
    logFile: path.join(dir, 'server.log'),
  };

  if (target.kind === 'plain') {
    seedPlainDatabase(dataDir);
  } else {
    const setup = await startServer(spec);
    await setup.stop();
    seedMigratedDatabase(dataDir);
  }
  await checkTarget(target, spec);
  return spec;
}

/**
 * Starts the target once and checks both routes answer like the plugin does: 401 without the
 * token, 200 with all seed rows with it. A target that fails this is not measured.
 * @param {Target} target
 * @param {import('./serverProcess').ServerSpec} spec
 */
async function checkTarget(target, spec) {
  const server = await startServer(spec);
  try {
    const health = await get(spec.port, HEALTH_PATH);
    const denied = await get(spec.port, ITEMS_PATH);
    const items = await get(spec.port, ITEMS_PATH, { authorization: `Bearer ${TOKEN}` });
    const count = items.status === 200 ? JSON.parse(items.body).items?.length : undefined;
    const problems = [];
    if (health.status !== 200) problems.push(`GET ${HEALTH_PATH} gave ${health.status}`);
    if (denied.status !== 401)
      problems.push(`GET ${ITEMS_PATH} without a token gave ${denied.status}`);
    if (count !== ROW_COUNT) {
      problems.push(
        `GET ${ITEMS_PATH} gave ${items.status} with ${count} rows (${items.body.slice(0, 300)})`,
      );
    }
    if (problems.length > 0) {
      throw new Error(
        `Target '${target.id}' does not behave like the example plugin: ${problems.join('; ')}`,
      );
    }
  } finally {
    await server.stop();
  }
}

module.exports = { TARGETS, TOKEN, HEALTH_PATH, ITEMS_PATH, prepareTarget, linkExamplePlugin };
