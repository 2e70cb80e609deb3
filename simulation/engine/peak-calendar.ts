import type { ShiftRoster } from './shift-roster.ts';

/**
 * The peak calendar: windows of simulated time (a holiday week, a promotion day) that multiply
 * demand and change staffing. Demand multipliers of overlapping windows multiply; a ticket opened
 * inside any window is reported in the "peak" results, every other one in "off-peak".
 */
export interface PeakWindow {
  name: string;
  /** minutes from the start of the run */
  from: number;
  to: number;
  /** multiplies every arrival source's rate inside the window */
  demand: number;
}

export class PeakCalendar {
  /** sorted distinct window boundaries */
  private readonly boundaries: Float64Array;

  constructor(readonly windows: readonly PeakWindow[]) {
    this.boundaries = Float64Array.from(
      [...new Set(windows.flatMap((w) => [w.from, w.to]))].sort((a, b) => a - b),
    );
  }

  get empty(): boolean {
    return this.windows.length === 0;
  }

  /** The demand multiplier at time t. */
  multiplier(t: number): number {
    let m = 1;
    for (const w of this.windows) if (t >= w.from && t < w.to) m *= w.demand;
    return m;
  }

  inPeak(t: number): boolean {
    for (const w of this.windows) if (t >= w.from && t < w.to) return true;
    return false;
  }

  /** The first window boundary after t (Infinity: none). */
  nextBoundary(t: number): number {
    for (const b of this.boundaries) if (b > t) return b;
    return Infinity;
  }

  /** Minutes of [0, end) that fall inside some window. */
  peakMinutes(end: number): number {
    let total = 0;
    let t = 0;
    while (t < end) {
      const next = Math.min(this.nextBoundary(t), end);
      if (this.inPeak(t)) total += next - t;
      t = next;
    }
    return total;
  }
}

/**
 * A pool's staffing inside a window: another roster or a new size instead of the usual count,
 * then a share and a number added.
 */
export interface StaffChange {
  window: PeakWindow;
  size?: number;
  roster?: ShiftRoster;
  add: number;
  /** e.g. 0.3 for +30%, applied to the usual on-duty count and rounded up */
  percent: number;
}

/** The on-duty count of a pool given its usual count at t and the peak changes active at t. */
export function staffAt(usual: number, changes: readonly StaffChange[], t: number): number {
  let size = usual;
  for (const c of changes) {
    if (t < c.window.from || t >= c.window.to) continue;
    if (c.roster) size = c.roster.sizeAt(t);
    else if (c.size !== undefined) size = c.size;
    size = Math.ceil(size * (1 + c.percent) - 1e-9) + c.add;
  }
  return Math.max(0, size);
}
