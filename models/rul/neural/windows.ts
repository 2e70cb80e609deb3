/**
 * Sliding windows over normalised sensor trajectories: each training example is the last `length`
 * rows up to a cycle, its target the piecewise-linear RUL min(cap, failureT - t) (Heimes 2008).
 * Histories shorter than the window are padded at the front with their first row, so every test
 * engine (the shortest FD001 test history is 31 cycles) yields a window.
 */
import type { Trajectory } from '../../data/trajectory.ts';

export interface WindowSet {
  /** [n, length, channels] row-major */
  x: Float32Array;
  y: Float32Array;
  n: number;
  length: number;
  channels: number;
}

/** Fills `out` (length x channels) with the window ending at row `end` of a trajectory. */
export function windowAt(
  tr: Trajectory,
  channels: string[],
  length: number,
  end: number,
  out: Float32Array,
  offset = 0,
): void {
  const cols = channels.map((c) => tr.columns[c]);
  for (let w = 0; w < length; w++) {
    const row = Math.max(0, end - length + 1 + w);
    for (let c = 0; c < cols.length; c++) out[offset + w * cols.length + c] = cols[c][row];
  }
}

/** Every window of run-to-failure trajectories (one per row from `minEnd`), with capped RUL targets. */
export function trainingWindows(
  trajs: Trajectory[],
  channels: string[],
  length: number,
  cap: number,
  minEnd = 0,
): WindowSet {
  let n = 0;
  for (const tr of trajs) n += Math.max(0, tr.t.length - minEnd);
  const x = new Float32Array(n * length * channels.length);
  const y = new Float32Array(n);
  let k = 0;
  for (const tr of trajs) {
    for (let end = minEnd; end < tr.t.length; end++, k++) {
      windowAt(tr, channels, length, end, x, k * length * channels.length);
      y[k] = Math.min(cap, tr.failureT! - tr.t[end]);
    }
  }
  return { x, y, n, length, channels: channels.length };
}

/** The window ending at the last row of each history (what the C-MAPSS protocol scores). */
export function lastWindows(histories: Trajectory[], channels: string[], length: number): WindowSet {
  const x = new Float32Array(histories.length * length * channels.length);
  histories.forEach((h, k) => windowAt(h, channels, length, h.t.length - 1, x, k * length * channels.length));
  return { x, y: new Float32Array(histories.length), n: histories.length, length, channels: channels.length };
}
