/** The kernel's data structures against simple references: sorting, exact quantiles, published t values. */
import { describe, expect, it } from 'vitest';
import { confidenceInterval, RandomStream, studentTQuantile } from '../../core/index.ts';
import { EventCalendar, LogHistogram, PoolQueue, ShiftRoster } from '../../simulation/index.ts';

describe('EventCalendar', () => {
  it('pops in time order, simultaneous events in the order they were scheduled', () => {
    const cal = new EventCalendar(4); // small, to exercise growth
    const rng = new RandomStream(1, 'calendar');
    const ref: { t: number; id: number }[] = [];
    for (let id = 0; id < 5000; id++) {
      const t = rng.int(200); // many ties
      cal.schedule(t, id % 7, id, 3 * id);
      ref.push({ t, id });
    }
    ref.sort((x, y) => x.t - y.t || x.id - y.id);
    for (const { t, id } of ref) {
      expect(cal.pop()).toBe(id % 7);
      expect(cal.now).toBe(t);
      expect(cal.a).toBe(id);
      expect(cal.b).toBe(3 * id);
    }
    expect(cal.size).toBe(0);
    expect(cal.pop()).toBe(-1);
  });

  it('matches a sorted reference when scheduling and popping interleave', () => {
    const cal = new EventCalendar();
    const rng = new RandomStream(2, 'calendar');
    const pending: { t: number; seq: number }[] = [];
    let seq = 0;
    for (let step = 0; step < 20_000; step++) {
      if (pending.length === 0 || rng.uniform() < 0.55) {
        const t = cal.now + Math.floor(rng.uniform() * 50) / 4;
        cal.schedule(t, 0, seq, 0);
        pending.push({ t, seq: seq++ });
      } else {
        pending.sort((x, y) => x.t - y.t || x.seq - y.seq);
        const next = pending.shift()!;
        cal.pop();
        expect([cal.now, cal.a]).toEqual([next.t, next.seq]);
      }
    }
  });

  it('refuses to schedule into the past', () => {
    const cal = new EventCalendar();
    cal.schedule(10, 0, 0, 0);
    cal.pop();
    expect(() => cal.schedule(9, 0, 0, 0)).toThrow(/before now/);
  });
});

describe('PoolQueue', () => {
  it('orders by tier first, then by place in line', () => {
    const q = new PoolQueue(2);
    const entries = [
      [2, 0],
      [0, 5],
      [1, 1],
      [0, 2],
      [3, 3],
      [1, 4],
    ];
    entries.forEach(([tier, order], slot) => q.push(tier, order, slot, slot * 10));
    const out: number[] = [];
    while (q.pop()) {
      expect(q.token).toBe(q.slot * 10);
      out.push(q.slot);
    }
    expect(out).toEqual([3, 1, 2, 5, 0, 4]);
  });
});

describe('LogHistogram', () => {
  it('reads quantiles within 1% of the exact sample quantiles, in constant memory', () => {
    const h = new LogHistogram();
    const rng = new RandomStream(3, 'hist');
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = rng.uniform() < 0.3 ? 0 : -40 * Math.log(rng.uniformPositive());
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1];
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThan(0.01);
    }
    expect(h.quantile(0.2)).toBe(0); // 30% zeros
    expect(h.positiveFraction).toBeCloseTo(values.filter((v) => v > 0).length / values.length, 12);
    expect(h.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 9);
    const at = 40;
    expect(h.fractionAtMost(at)).toBeCloseTo(values.filter((v) => v <= at).length / values.length, 2);
  });
});

describe('Student t and confidence intervals', () => {
  it('matches published two-sided 95% critical values', () => {
    // t_{0.975, df} from standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2)
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [4, 2.776],
      [9, 2.262],
      [19, 2.093],
      [29, 2.045],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
  });

  it('computes mean +- t s / sqrt(n), skipping non-finite values', () => {
    const ci = confidenceInterval([1, 2, 3, 4, NaN]);
    // mean 2.5, s = sqrt(5/3), t_{0.975,3} = 3.182446
    expect(ci.n).toBe(4);
    expect(ci.mean).toBe(2.5);
    expect(ci.halfWidth!).toBeCloseTo((3.182446 * Math.sqrt(5 / 3)) / 2, 5);
    expect(confidenceInterval([7]).halfWidth).toBeNull();
    expect(confidenceInterval([NaN]).mean).toBeNull();
  });

  it('covers the true mean about 95% of the time', () => {
    const rng = new RandomStream(4, 'coverage');
    let covered = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 10 }, () => 5 + 2 * rng.normal());
      const ci = confidenceInterval(xs);
      if (ci.lower! <= 5 && 5 <= ci.upper!) covered++;
    }
    // binomial sd of the coverage is sqrt(.95 .05 / 4000) = 0.0034
    expect(covered / trials).toBeGreaterThan(0.94);
    expect(covered / trials).toBeLessThan(0.96);
  });
});

describe('ShiftRoster', () => {
  const H = 60;
  it('adds overlapping shifts, wraps past midnight, and gives uncovered time the base size', () => {
    const roster = new ShiftRoster(
      [
        { days: [0, 1, 2, 3, 4], from: 7 * H, to: 15 * H, size: 4 },
        { days: [0, 1, 2, 3, 4], from: 14 * H, to: 22 * H, size: 3 },
        { days: [6], from: 22 * H, to: 6 * H, size: 5 }, // Sunday night into Monday morning
      ],
      1,
    );
    expect(roster.sizeAt(3 * H)).toBe(5); // Monday 03:00, the Sunday night shift
    expect(roster.sizeAt(6 * H + 30)).toBe(1); // Monday 06:30, nobody rostered
    expect(roster.sizeAt(8 * H)).toBe(4);
    expect(roster.sizeAt(14 * H + 30)).toBe(7); // overlap
    expect(roster.sizeAt(20 * H)).toBe(3);
    expect(roster.sizeAt(5 * 1440 + 12 * H)).toBe(1); // Saturday noon
    expect(roster.sizeAt(7 * 1440 + 8 * H)).toBe(4); // next Monday
    expect(roster.nextChange(0)).toBe(6 * H);
    expect(roster.nextChange(6 * H)).toBe(7 * H);
    expect(roster.nextChange(6 * 1440 + 23 * H)).toBe(7 * 1440 + 6 * H);
    // staff-minutes per week: 5 days (8h x 4 + 8h x 3) + 7 nights x 8h... only one night: 8h x 5, rest base 1
    const rostered = 5 * (8 * 4 + 8 * 3) * H + 8 * 5 * H;
    const uncoveredMinutes = 7 * 1440 - 5 * 15 * H - 8 * H;
    expect(roster.weeklyStaffMinutes()).toBe(rostered + uncoveredMinutes * 1);
  });
});
