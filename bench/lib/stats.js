// @ts-check
'use strict';

/**
 * Median, min and max of a list of samples, plus the samples themselves.
 * @param {number[]} samples
 * @returns {{ median: number, min: number, max: number, n: number, samples: number[] }}
 */
function summarize(samples) {
  if (samples.length === 0) {
    return { median: NaN, min: NaN, max: NaN, n: 0, samples: [] };
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: samples.length,
    samples,
  };
}

/**
 * The order of the targets for round `round`: rotated so that no target always runs first
 * (or always right after the same neighbour) on a shared machine.
 * @template T
 * @param {T[]} items
 * @param {number} round
 * @returns {T[]}
 */
function rotate(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

module.exports = { summarize, rotate };
