/**
 * A weekly shift roster: how many of a pool's staff are on duty at each moment of the week,
 * as a step function that repeats every week. Simulation time 0 is Monday 00:00.
 *
 * Shifts add up where they overlap (an early and a late shift sharing an hour both count), a
 * shift whose end is not after its start runs past midnight into the next day, and times no
 * shift covers get the pool's base size. When the roster shrinks, staff busy with a ticket finish
 * it before going off duty (no work is dropped at a shift change).
 */
export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface Shift {
  /** 0 = Monday .. 6 = Sunday */
  days: number[];
  /** minutes after midnight */
  from: number;
  to: number;
  size: number;
}

export class ShiftRoster {
  /** minutes into the week where the on-duty count changes, ascending, first is 0 */
  readonly changeAt: Float64Array;
  readonly sizes: Int32Array;

  constructor(shifts: readonly Shift[], baseSize: number) {
    const delta = new Map<number, number>();
    const add = (t: number, d: number) => delta.set(t, (delta.get(t) ?? 0) + d);
    const intervals: [number, number, number][] = [];
    for (const s of shifts) {
      const length = s.to > s.from ? s.to - s.from : s.to + MINUTES_PER_DAY - s.from;
      for (const day of s.days) {
        const start = day * MINUTES_PER_DAY + s.from;
        const end = start + length;
        if (end <= MINUTES_PER_WEEK) intervals.push([start, end, s.size]);
        else {
          intervals.push([start, MINUTES_PER_WEEK, s.size]);
          intervals.push([0, end - MINUTES_PER_WEEK, s.size]);
        }
      }
    }
    for (const [a, b, n] of intervals) {
      add(a, n);
      add(b, -n);
    }
    // coverage count, to give uncovered time the base size
    const points = [...new Set([0, MINUTES_PER_WEEK, ...intervals.flatMap(([a, b]) => [a, b])])].sort(
      (x, y) => x - y,
    );
    const covered = new Float64Array(points.length);
    for (let i = 0; i < points.length; i++) {
      for (const [a, b] of intervals) if (a <= points[i] && points[i] < b) covered[i]++;
    }
    const at: number[] = [];
    const sizes: number[] = [];
    let running = 0;
    for (let i = 0; i < points.length - 1; i++) {
      running += delta.get(points[i]) ?? 0;
      const size = covered[i] > 0 ? running : baseSize;
      if (sizes.length === 0 || sizes[sizes.length - 1] !== size) {
        at.push(points[i]);
        sizes.push(size);
      }
    }
    this.changeAt = Float64Array.from(at);
    this.sizes = Int32Array.from(sizes);
  }

  /** Staff on duty at simulation time t (minutes). */
  sizeAt(t: number): number {
    const w = ((t % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    let i = this.changeAt.length - 1;
    while (i > 0 && this.changeAt[i] > w) i--;
    return this.sizes[i];
  }

  /** The first time after t at which the on-duty count changes (Infinity for a flat roster). */
  nextChange(t: number): number {
    const n = this.changeAt.length;
    if (n === 1) return Infinity;
    const current = this.sizeAt(t);
    const weekStart = Math.floor(t / MINUTES_PER_WEEK) * MINUTES_PER_WEEK;
    // scan this week's and next week's change points (the week boundary itself may be no change)
    for (let k = 0; k < 2 * n + 1; k++) {
      const at = weekStart + Math.floor(k / n) * MINUTES_PER_WEEK + this.changeAt[k % n];
      if (at > t && this.sizes[k % n] !== current) return at;
    }
    return Infinity;
  }

  /** Staff-minutes on duty in one week (for cost and utilisation checks). */
  weeklyStaffMinutes(): number {
    let total = 0;
    for (let i = 0; i < this.changeAt.length; i++) {
      const end = i + 1 < this.changeAt.length ? this.changeAt[i + 1] : MINUTES_PER_WEEK;
      total += this.sizes[i] * (end - this.changeAt[i]);
    }
    return total;
  }
}
