import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { RegimeNormalizer, type Trajectory } from '../../models/index.ts';

/** FD002-like data: six operating conditions that shift the sensor, plus a constant channel. */
function sixRegimes(seed: number): Trajectory[] {
  const rng = new RandomStream(seed, 'regimes');
  const conditions = [
    [0, 0, 100],
    [10, 0.25, 100],
    [20, 0.7, 100],
    [25, 0.62, 60],
    [35, 0.84, 100],
    [42, 0.84, 100],
  ];
  return Array.from({ length: 10 }, (_, u) => {
    const n = 200;
    const cond = Array.from({ length: n }, () => rng.int(6));
    const cols = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    return {
      asset: `u${u}`,
      t: cols((i) => i + 1),
      columns: {
        altitude: cols((i) => conditions[cond[i]][0] + 0.001 * rng.normal()),
        mach: cols((i) => conditions[cond[i]][1] + 0.0001 * rng.normal()),
        tra: cols((i) => conditions[cond[i]][2]),
        sensor: cols((i) => 500 + 40 * cond[i] + (1 + cond[i]) * rng.normal()),
        constant: cols(() => 518.67),
      },
    };
  });
}

describe('per-regime normalisation', () => {
  const data = sixRegimes(1);
  const n = RegimeNormalizer.fit(data, ['altitude', 'mach', 'tra'], ['sensor', 'constant']);

  it('finds the six operating regimes by itself', () => {
    expect(n.regimes).toBe(6);
  });

  it('z-scores each channel within its regime (mean 0, sd 1 per regime) and zeroes constant channels', () => {
    expect(n.state.sd.every((r) => r[1] === 0)).toBe(true);
    const byRegime = new Map<number, number[]>();
    for (const tr of data) {
      const z = n.transform(tr);
      for (let i = 0; i < tr.t.length; i++) {
        const r = n.regimeOf(tr, i);
        if (!byRegime.has(r)) byRegime.set(r, []);
        byRegime.get(r)!.push(z.columns.sensor[i]);
        expect(z.columns.constant[i]).toBe(0);
      }
    }
    for (const zs of byRegime.values()) {
      const mean = zs.reduce((s, v) => s + v, 0) / zs.length;
      const sd = Math.sqrt(zs.reduce((s, v) => s + (v - mean) ** 2, 0) / zs.length);
      expect(Math.abs(mean)).toBeLessThan(1e-9);
      expect(sd).toBeCloseTo(1, 9);
    }
  });

  it('keeps one regime for single-condition data (FD001-like)', () => {
    const one = sixRegimes(2).map((tr) => ({
      ...tr,
      columns: {
        ...tr.columns,
        altitude: tr.columns.altitude.map(() => 0),
        mach: tr.columns.mach.map(() => 0),
        tra: tr.columns.tra.map(() => 100),
      },
    }));
    expect(RegimeNormalizer.fit(one, ['altitude', 'mach', 'tra'], ['sensor']).regimes).toBe(1);
  });
});
