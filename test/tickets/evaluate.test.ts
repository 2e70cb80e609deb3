import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../models/index.ts';
import { assess, evaluationsFor, ticketPolicy, usableChannels } from '../../tickets/index.ts';

/** 50 rows; x and y wobble deterministically around 10 and 5; `rise` adds a ramp to x from row 40. */
function history(asset: string, phase: number, rise: number): Trajectory {
  const n = 50;
  const t = Float64Array.from({ length: n }, (_, i) => i + 1);
  const x = Float64Array.from(
    { length: n },
    (_, i) => 10 + Math.sin(i * 1.7 + phase) + (i >= 40 ? rise * (i - 39) : 0),
  );
  const y = Float64Array.from({ length: n }, (_, i) => 5 + 0.5 * Math.cos(i * 2.3 + phase));
  const k = new Float64Array(n).fill(3); // constant: no use for a covariance model
  return { asset, t, columns: { x, y, k } };
}

describe('evaluationsFor', () => {
  const histories = [history('A', 0, 3), history('B', 1, 0), history('C', 2, 0)];
  const evals = evaluationsFor(
    histories,
    (h) => ({ rul: 100 - h.t[h.t.length - 1], lower: 20, upper: 80, coverage: 0.9 }),
    {
      modelRef: 'similarity@2',
      anomalyChannels: ['x', 'y', 'k'],
      timeUnit: () => 'cycle',
      cycleHours: 2,
      at: Date.parse('2026-02-01T00:00:00Z'),
    },
  );

  it('drops channels that cannot enter a covariance model', () => {
    expect(usableChannels(histories, ['x', 'y', 'k', 'missing'], 0.2)).toEqual(['x', 'y']);
  });

  it('one evaluation per asset at its last row, with the prediction, anomaly and indicators', () => {
    expect(
      evals.map((e) => [e.asset, e.t, e.rul, e.lower, e.upper, e.model, e.timeUnit, e.cycleHours]),
    ).toEqual([
      ['A', 50, 50, 20, 80, 'similarity@2', 'cycle', 2],
      ['B', 50, 50, 20, 80, 'similarity@2', 'cycle', 2],
      ['C', 50, 50, 20, 80, 'similarity@2', 'cycle', 2],
    ]);
    const [a, b] = evals;
    // A's x has risen by 30 over 10 rows: far outside the baseline; B is as healthy as its baseline
    expect(a.anomaly!.score).toBeGreaterThan(a.anomaly!.threshold);
    expect(b.anomaly!.score).toBeLessThan(b.anomaly!.threshold);
    expect(a.indicators![0].channel).toBe('x');
    expect(a.indicators!.map((i) => i.channel)).not.toContain('k');
  });

  it('through the policy: RUL lower 20 cycles x 2 h = 40 h -> P2 for all; the anomaly adds its reason only where it wins', () => {
    const p = ticketPolicy();
    expect(evals.map((e) => assess(e, p).priority)).toEqual(['P2', 'P2', 'P2']);
    const noRul = { ...evals[0], rul: undefined, lower: undefined, upper: undefined };
    expect(assess(noRul, p).priority).toBe('P3');
  });
});
