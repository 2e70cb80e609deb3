import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import {
  CusumChart,
  EwmaChart,
  MahalanobisDetector,
  thresholdForFalseAlarmRate,
  type Trajectory,
} from '../../models/index.ts';

/** Assets with 3 correlated healthy channels; from `shiftAt` on, channel b drifts up by `shift` sd. */
function fleet(n: number, rows: number, seed: number, shiftAt = Infinity, shift = 0): Trajectory[] {
  const rng = new RandomStream(seed, 'anomaly');
  return Array.from({ length: n }, (_, k) => {
    const a = new Float64Array(rows),
      b = new Float64Array(rows),
      c = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const z = rng.normal();
      a[i] = z;
      b[i] = 0.8 * z + 0.6 * rng.normal() + (i >= shiftAt ? shift : 0);
      c[i] = rng.normal();
    }
    return { asset: `a${k}`, t: Float64Array.from({ length: rows }, (_, i) => i), columns: { a, b, c } };
  });
}

const alarmRate = (alarm: Uint8Array, from = 0, to = alarm.length) =>
  alarm.subarray(from, to).reduce((s, v) => s + v, 0) / (to - from);

describe('anomaly thresholds from a target false-alarm rate', () => {
  it('threshold is the (1 - alpha) quantile of the baseline scores', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000
    expect(thresholdForFalseAlarmRate(scores, 0.01)).toBe(990);
    expect(thresholdForFalseAlarmRate(scores, 0.1)).toBe(900);
    expect(() => thresholdForFalseAlarmRate(scores, 0)).toThrow(/false-alarm rate/);
  });

  it.each([
    ['ewma', (tr: Trajectory[]) => EwmaChart.fit(tr, 'b', { fraction: 1, falseAlarmRate: 0.02 })],
    ['cusum', (tr: Trajectory[]) => CusumChart.fit(tr, 'b', { fraction: 1, falseAlarmRate: 0.02 })],
    [
      'mahalanobis',
      (tr: Trajectory[]) =>
        MahalanobisDetector.fit(tr, ['a', 'b', 'c'], { fraction: 1, falseAlarmRate: 0.02 }),
    ],
  ])('%s: about alpha of fresh healthy rows alarm; a 2-sd shift is caught', (_name, fit) => {
    const det = fit(fleet(20, 500, 1));
    const healthy = fleet(20, 500, 2).map((t) => det.score(t));
    const rate = healthy.reduce((s, r) => s + alarmRate(r.alarm), 0) / healthy.length;
    // binomial-ish band around 0.02 (serial correlation of EWMA/CUSUM widens it)
    expect(rate).toBeGreaterThan(0.005);
    expect(rate).toBeLessThan(0.05);
    const shifted = fleet(20, 500, 3, 300, 2).map((t) => det.score(t));
    const detected = shifted.reduce((s, r) => s + alarmRate(r.alarm, 320, 500), 0) / shifted.length;
    expect(detected).toBeGreaterThan(0.5);
  });
});

describe('Mahalanobis contributions', () => {
  it('sum to D^2 and name the shifted channel first', () => {
    const det = MahalanobisDetector.fit(fleet(10, 400, 4), ['a', 'b', 'c'], { fraction: 1 });
    const tr = fleet(1, 400, 5, 200, 4)[0];
    const d2 = det.statistic(tr);
    for (const i of [10, 250, 399]) {
      const contrib = det.contributions(tr, i);
      expect(contrib.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(d2[i], 9);
    }
    // the mean over the shifted rows: channel b drives it
    const top = new Map<string, number>();
    for (let i = 200; i < 400; i++) {
      const first = det.contributions(tr, i)[0].channel;
      top.set(first, (top.get(first) ?? 0) + 1);
    }
    expect([...top].sort((x, y) => y[1] - x[1])[0][0]).toBe('b');
  });
});
