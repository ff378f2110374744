// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const paths = require('./paths');

/**
 * @typedef {object} CpuProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number, columnNumber: number }} callFrame
 * @property {number[]} [children]
 */

/**
 * @typedef {object} CpuProfile
 * @property {CpuProfileNode[]} nodes
 * @property {number} startTime
 * @property {number} endTime
 * @property {number[]} samples
 * @property {number[]} timeDeltas
 */

/**
 * Where a frame's code lives: the package under node_modules, the workspace package, or Node.
 * @param {string} url
 */
function ownerOf(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node core';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const rel = path.relative(paths.repoRoot, file);
  if (!rel.startsWith('..')) {
    const [top, name] = rel.split(path.sep);
    return `${top}/${name}`;
  }
  return file;
}

/** A readable label for a frame: function, repo-relative file and line. @param {CpuProfileNode['callFrame']} frame */
function labelOf(frame) {
  const file = frame.url.replace(/^file:\/\//, '');
  const shown = file.startsWith(paths.repoRoot)
    ? path.relative(paths.repoRoot, file)
    : file.replace(/^.*\/node_modules\//, '');
  return `${frame.functionName || '(anonymous)'} ${shown}:${frame.lineNumber + 1}`;
}

/**
 * Self and inclusive time per function and self time per package, from a .cpuprofile, restricted
 * to the samples taken between `fromMs` and `toMs` after the profile started. Idle, GC and
 * "(program)" are reported apart from code.
 * @param {string} file
 * @param {{ fromMs?: number, toMs?: number, top?: number }} [window]
 */
function analyzeProfile(file, window = {}) {
  /** @type {CpuProfile} */
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const fromUs = (window.fromMs ?? 0) * 1000;
  const toUs = (window.toMs ?? Infinity) * 1000;
  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  /** @type {Map<string, number>} */
  const byOwner = new Map();
  let elapsed = 0;
  let total = 0;
  let idle = 0;
  const add = (
    /** @type {Map<string, number>} */ map,
    /** @type {string} */ key,
    /** @type {number} */ us,
  ) => map.set(key, (map.get(key) ?? 0) + us);

  for (let i = 0; i < profile.samples.length; i++) {
    // A sample's weight is the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    elapsed += profile.timeDeltas[i];
    if (elapsed < fromUs || elapsed > toUs) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle += weight;
      continue;
    }
    total += weight;
    const label =
      name === '(program)' || name === '(garbage collector)' ? name : labelOf(node.callFrame);
    add(self, label, weight);
    add(byOwner, name.startsWith('(') ? name : ownerOf(node.callFrame.url), weight);

    const seen = new Set();
    for (let id = node.id; id !== undefined; id = /** @type {number} */ (parent.get(id))) {
      const frame = /** @type {CpuProfileNode} */ (byId.get(id)).callFrame;
      if (!frame.url) continue;
      const key = labelOf(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, weight);
    }
  }

  const top = window.top ?? 25;
  const rank = (/** @type {Map<string, number>} */ map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 100) / 10,
        share: Math.round((us / total) * 1000) / 10,
      }));

  return {
    file,
    busyMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    selfByFunction: rank(self),
    selfByPackage: rank(byOwner),
    inclusiveByFunction: rank(inclusive),
  };
}

module.exports = { analyzeProfile };
