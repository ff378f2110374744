// @ts-check
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');

const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 5;
const STOP_TIMEOUT_MS = 15_000;

/**
 * A free TCP port on 127.0.0.1, found by letting the OS pick one.
 * @returns {Promise<number>}
 */
function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One GET to 127.0.0.1 without keep-alive; resolves with the status code, rejects on a socket error.
 * @param {number} port
 * @param {string} path
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number, body: string }>}
 */
function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/**
 * Resident set size of a live process in MB, from VmRSS in /proc/<pid>/status.
 * @param {number} pid
 */
function readRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) {
    throw new Error(`No VmRSS line in /proc/${pid}/status; is the process still running?`);
  }
  return Number(match[1]) / 1024;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

/**
 * CPU time a live process has used so far (user + system, all its threads), in ms, from
 * /proc/<pid>/stat.
 * @param {number} pid
 */
function readCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
}

/** @param {string} file @param {number} bytes */
function tail(file, bytes = 4000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no log)';
  }
}

/**
 * @typedef {object} ServerSpec
 * @property {string} id
 * @property {string[]} args node arguments (script first)
 * @property {string} cwd
 * @property {Record<string, string>} env
 * @property {number} port
 * @property {string} readyPath the open route polled for the first 200
 * @property {string} logFile where the server's stdout and stderr go
 */

/**
 * @typedef {object} RunningServer
 * @property {number} pid
 * @property {number} readyMs spawn to the first 200 on readyPath, in ms
 * @property {number} rssAtReadyMb VmRSS read right after that first 200
 * @property {bigint} spawnedAt process.hrtime.bigint() just before spawn
 * @property {() => number} rssMb
 * @property {() => number} cpuMs CPU time used so far (user + system), in ms
 * @property {() => Promise<number | null>} stop SIGTERM, then SIGKILL after 15 s; resolves with the exit code
 */

/**
 * Spawns a server and waits for the first 200 on its open route: the cold-start measurement.
 * Output goes straight to a log file (no pipe through the bench process).
 * @param {ServerSpec} spec
 * @param {{ nodeArgs?: string[] }} [options]
 * @returns {Promise<RunningServer>}
 */
async function startServer(spec, options = {}) {
  const log = fs.openSync(spec.logFile, 'w');
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);

  /** @type {number | null | undefined} */
  let exitCode;
  /** @type {Promise<number | null>} */
  const exited = new Promise(resolve =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve(code);
    }),
  );

  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`Could not spawn the '${spec.id}' server (node ${spec.args.join(' ')})`);
  }

  let readyMs = NaN;
  let rssAtReadyMb = NaN;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `The '${spec.id}' server exited with ${exitCode} before answering 200 on ${spec.readyPath}; ` +
          `its log (${spec.logFile}) ends with:\n${tail(spec.logFile)}`,
      );
    }
    const status = await get(spec.port, spec.readyPath).then(
      r => r.status,
      () => 0,
    );
    if (status === 200) {
      readyMs = Number(process.hrtime.bigint() - spawnedAt) / 1e6;
      rssAtReadyMb = readRssMb(pid);
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The '${spec.id}' server gave no 200 on ${spec.readyPath} within ${READY_TIMEOUT_MS} ms ` +
          `(last status ${status}); its log (${spec.logFile}) ends with:\n${tail(spec.logFile)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL_MS));
  }

  return {
    pid,
    readyMs,
    rssAtReadyMb,
    spawnedAt,
    rssMb: () => readRssMb(pid),
    cpuMs: () => readCpuMs(pid),
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

module.exports = { findFreePort, get, readCpuMs, readRssMb, startServer };
