import { describe, expect, it } from 'vitest';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { cyrb128, RandomStream, RandomStreams } from '../../core/index.ts';

const draw = (s: RandomStream, n: number): number[] => Array.from({ length: n }, () => s.uniform());

describe('RandomStream', () => {
  it('gives the same sequence for the same seed and name', () => {
    expect(draw(new RandomStream(42, 'arrivals'), 100)).toEqual(draw(new RandomStream(42, 'arrivals'), 100));
  });

  it('draws what the xoroshiro128+ of pure-rand and uniformFloat64 draw from the same state, number for number', () => {
    // the stream inlines the generator (core/random/stream.ts); pure-rand is the reference
    for (const name of ['arrivals', 'r0/durations/work', 'x']) {
      const state = cyrb128(`leadtime:7:${name}`);
      const gen = xoroshiro128plusFromState(state);
      const ours = new RandomStream(7, name);
      for (let i = 0; i < 100_000; i++) {
        const want = uniformFloat64(gen);
        const got = ours.uniform();
        if (got !== want) expect({ i, got }).toEqual({ i, got: want });
      }
    }
  });

  it('gives different sequences for different names and seeds', () => {
    const a = draw(new RandomStream(42, 'arrivals'), 10);
    expect(draw(new RandomStream(42, 'durations'), 10)).not.toEqual(a);
    expect(draw(new RandomStream(43, 'arrivals'), 10)).not.toEqual(a);
  });

  it('is not shifted by creating or drawing from another stream', () => {
    const streams = new RandomStreams(7);
    const alone = draw(streams.get('routing'), 50);
    const other = streams.get('new-purpose');
    draw(other, 1000);
    expect(draw(streams.get('routing'), 50)).toEqual(alone);
  });

  it('child streams are reproducible and distinct from the parent and siblings', () => {
    const root = new RandomStream(1, 'replication');
    expect(draw(root.child(3), 5)).toEqual(draw(new RandomStream(1, 'replication').child(3), 5));
    expect(draw(root.child(3), 5)).not.toEqual(draw(root.child(4), 5));
  });

  it('uniforms lie in [0,1) with mean 1/2, variance 1/12 and no lag-1 correlation', () => {
    const n = 200_000;
    const x = draw(new RandomStream(2024, 'u'), n);
    let sum = 0,
      ss = 0,
      cross = 0;
    for (let i = 0; i < n; i++) {
      expect(x[i] >= 0 && x[i] < 1).toBe(true);
      sum += x[i];
      ss += x[i] * x[i];
      if (i > 0) cross += (x[i] - 0.5) * (x[i - 1] - 0.5);
    }
    const mean = sum / n;
    const variance = ss / n - mean * mean;
    // standard errors: sd/sqrt(n) = 0.289/447 = 6.5e-4 for the mean; lag-1 correlation ~ 1/sqrt(n)
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * 6.5e-4);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    expect(Math.abs(cross / n / (1 / 12))).toBeLessThan(5 / Math.sqrt(n));
  });

  it('uniforms pass a chi-square test on 100 equal bins', () => {
    const n = 100_000;
    const bins = new Array(100).fill(0);
    const s = new RandomStream(9, 'chi');
    for (let i = 0; i < n; i++) bins[Math.floor(s.uniform() * 100)]++;
    const chi2 = bins.reduce((acc, o) => acc + (o - n / 100) ** 2 / (n / 100), 0);
    // chi-square with 99 df: 99.9th percentile is 148.2
    expect(chi2).toBeLessThan(148.2);
  });

  it('normals have mean 0, variance 1, and fourth moment 3', () => {
    const s = new RandomStream(5, 'z');
    const n = 200_000;
    let m1 = 0,
      m2 = 0,
      m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = s.normal();
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('rejects a non-integer seed', () => {
    expect(() => new RandomStreams(1.5)).toThrow(/integer/);
  });
});
