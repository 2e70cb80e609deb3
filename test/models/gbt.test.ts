import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import {
  CalibratedModel,
  CMAPSS_SENSORS,
  CMAPSS_SETTINGS,
  gbtWindow,
  ModelRegistry,
  readCmapss,
  truncateAtRandom,
  type GbtState,
  type Trajectory,
} from '../../models/index.ts';
import { binEdges, binMatrix, binOf } from '../../models/rul/gbt/histogram-bins.ts';
import { growTree, treeValue } from '../../models/rul/gbt/regression-tree.ts';
import { fitBoostedTrees, predictBoosted } from '../../models/rul/gbt/gradient-boosting.ts';
import { trailingFeatures } from '../../models/rul/gbt/trailing-features.ts';

const TRAIN = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');

describe('histogram bins', () => {
  it('few distinct values get one bin each; bin b holds (edge b-1, edge b]', () => {
    const e = binEdges([3, 1, 2, 2, 3, 1], 64);
    expect(Array.from(e)).toEqual([1, 2]);
    expect([0.5, 1, 1.5, 2, 2.5, 3, 9].map((v) => binOf(e, v))).toEqual([0, 0, 1, 1, 2, 2, 2]);
  });

  it('many values: at most maxBins bins of about equal counts', () => {
    const v = Array.from({ length: 1000 }, (_, i) => i);
    const e = binEdges(v, 10);
    expect(e.length).toBe(9);
    const counts = new Array(10).fill(0);
    for (const x of v) counts[binOf(e, x)]++;
    for (const c of counts) expect(c).toBe(100);
  });

  it('names the row and feature of a value that is not finite', () => {
    expect(() => binMatrix(Float64Array.from([1, 2, 3, NaN]), 2, 2)).toThrow('feature 1 of row 1 is NaN');
  });
});

describe('histogram regression tree', () => {
  it('one split on a hand-computed case: threshold, leaf values w* = -G/(n + lambda) and gain (Chen & Guestrin eq. 5, 7)', () => {
    // x = 1..4, targets 0 0 10 10, prediction 0: gradients 0 0 -10 -10
    const data = binMatrix(Float64Array.from([1, 2, 3, 4]), 4, 1);
    const grad = Float64Array.from([0, 0, -10, -10]);
    const { tree } = growTree(data, grad, Uint32Array.from([0, 1, 2, 3]), Int32Array.from([0]), {
      maxLeaves: 2,
      minLeaf: 1,
      lambda: 1,
    });
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(2);
    // G = -20, n = 4; left G = 0, n = 2; right G = -20, n = 2
    expect(tree.gain[0]).toBeCloseTo(0.5 * (0 + 400 / 3 - 400 / 5), 12);
    expect(tree.value[tree.left[0]]).toBeCloseTo(0, 12);
    expect(tree.value[tree.right[0]]).toBeCloseTo(20 / 3, 12);
    expect(treeValue(tree, [1.5])).toBeCloseTo(0, 12);
    expect(treeValue(tree, [3.5])).toBeCloseTo(20 / 3, 12);
  });

  it('the root split is the best of an exhaustive search over every threshold and feature', () => {
    const rng = new RandomStream(5, 'tree-brute');
    const n = 40,
      p = 3,
      lambda = 2,
      minLeaf = 3;
    const x = Float64Array.from({ length: n * p }, () => Math.round(rng.uniform() * 30));
    const grad = Float64Array.from({ length: n }, (_, i) => x[i * p + 1] * 0.5 - 7 + rng.normal());
    const data = binMatrix(x, n, p, 256);
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    const { tree } = growTree(data, grad, all, Int32Array.from([0, 1, 2]), { maxLeaves: 2, minLeaf, lambda });
    const G = grad.reduce((a, b) => a + b, 0);
    let best = { gain: -Infinity, feature: -1, threshold: NaN };
    for (let f = 0; f < p; f++) {
      const values = [...new Set(Array.from({ length: n }, (_, i) => x[i * p + f]))].sort((a, b) => a - b);
      for (const th of values) {
        let gl = 0,
          nl = 0;
        for (let i = 0; i < n; i++)
          if (x[i * p + f] <= th) {
            gl += grad[i];
            nl++;
          }
        if (nl < minLeaf || n - nl < minLeaf) continue;
        const gain =
          0.5 * ((gl * gl) / (nl + lambda) + (G - gl) ** 2 / (n - nl + lambda) - (G * G) / (n + lambda));
        if (gain > best.gain) best = { gain, feature: f, threshold: th };
      }
    }
    expect(tree.feature[0]).toBe(best.feature);
    expect(tree.threshold[0]).toBe(best.threshold);
    expect(tree.gain[0]).toBeCloseTo(best.gain, 9);
  });

  it('leaf-wise growth respects maxLeaves, maxDepth and minLeaf', () => {
    const rng = new RandomStream(2, 'tree-limits');
    const n = 500;
    const x = Float64Array.from({ length: n * 2 }, () => rng.uniform());
    const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(10 * x[2 * i]) + x[2 * i + 1]);
    const data = binMatrix(x, n, 2);
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    const { tree, leafRows } = growTree(data, grad, all, Int32Array.from([0, 1]), {
      maxLeaves: 7,
      maxDepth: 3,
      minLeaf: 30,
    });
    expect(leafRows.length).toBeLessThanOrEqual(7);
    expect(leafRows.reduce((s, l) => s + l.rows.length, 0)).toBe(n);
    for (const l of leafRows) expect(l.rows.length).toBeGreaterThanOrEqual(30);
    const depth = (k: number): number =>
      tree.feature[k] < 0 ? 0 : 1 + Math.max(depth(tree.left[k]), depth(tree.right[k]));
    expect(depth(0)).toBeLessThanOrEqual(3);
  });
});

describe('gradient boosting', () => {
  const rng = new RandomStream(7, 'gbt-step');
  const n = 2000;
  const x = Float64Array.from({ length: n * 2 }, () => rng.uniform());
  // a step in feature 0 at 0.37, feature 1 is noise
  const y = Float64Array.from({ length: n }, (_, i) => (x[2 * i] > 0.37 ? 5 : -3));

  it('recovers a step function: the first split is on the step feature within one bin of 0.37, and the fit is the step', () => {
    const m = fitBoostedTrees(x, y, 2, {
      rounds: 60,
      learningRate: 0.3,
      subsample: 1,
      colsample: 1,
      minLeaf: 5,
    });
    expect(m.trees[0].feature[0]).toBe(0);
    // 64 quantile bins of a uniform: edges about 1/64 apart
    expect(Math.abs(m.trees[0].threshold[0] - 0.37)).toBeLessThan(1 / 64 + 0.01);
    expect(m.base).toBeCloseTo(y.reduce((a, b) => a + b, 0) / n, 12);
    for (const [v, want] of [
      [0.1, -3],
      [0.3, -3],
      [0.45, 5],
      [0.9, 5],
    ])
      expect(predictBoosted(m, [v, 0.5])).toBeCloseTo(want, 1);
  });

  it('is reproducible from its seed, and the seed matters when rows and features are sampled', () => {
    const o = { rounds: 20, subsample: 0.5, colsample: 0.5, seed: 3 };
    const noisy = y.map((v, i) => v + x[2 * i + 1]);
    const a = fitBoostedTrees(x, noisy, 2, o),
      b = fitBoostedTrees(x, noisy, 2, o),
      c = fitBoostedTrees(x, noisy, 2, { ...o, seed: 4 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('rejects sampling fractions outside (0, 1]', () => {
    expect(() => fitBoostedTrees(x, y, 2, { subsample: 0 })).toThrow('subsample');
  });
});

describe('trailing-window features', () => {
  const t = Float64Array.from({ length: 12 }, (_, i) => i + 1);
  const y = Float64Array.from(t, (v) => (v * v) % 7);
  const spec = { means: [3], sds: [4], slopes: [5], baseline: 2 };

  it('match direct computation over each window (mean, population sd, least-squares slope, drift, age)', () => {
    const { x, p } = trailingFeatures([y], t, spec);
    expect(p).toBe(5);
    for (let i = 0; i < t.length; i++) {
      const win = (w: number) => Array.from(y.slice(Math.max(0, i - w + 1), i + 1));
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      const m3 = mean(win(3));
      const w4 = win(4);
      const sd = Math.sqrt(mean(w4.map((v) => (v - mean(w4)) ** 2)));
      const w5 = win(5);
      const j = w5.map((_, k) => k);
      const slope =
        w5.length < 2
          ? 0
          : j.reduce((s, v, k) => s + (v - mean(j)) * (w5[k] - mean(w5)), 0) /
            j.reduce((s, v) => s + (v - mean(j)) ** 2, 0);
      const base = mean(Array.from(y.slice(0, Math.min(2, i + 1))));
      expect(x[i * p]).toBeCloseTo(m3, 12);
      expect(x[i * p + 1]).toBeCloseTo(sd, 12);
      expect(x[i * p + 2]).toBeCloseTo(slope, 12);
      expect(x[i * p + 3]).toBeCloseTo(m3 - base, 12);
      expect(x[i * p + 4]).toBe(t[i]);
    }
  });

  it('are causal: a truncated history gives the same features at its last row', () => {
    const full = trailingFeatures([y], t, spec);
    for (const n of [1, 2, 5, 9]) {
      const cut = trailingFeatures([y.slice(0, n)], t.slice(0, n), spec, n - 1);
      expect(Array.from(cut.x)).toEqual(Array.from(full.x.slice((n - 1) * full.p, n * full.p)));
    }
  });
});

describe('gbt-window on C-MAPSS FD001', () => {
  let trajs: Trajectory[];
  const options = { settings: CMAPSS_SETTINGS, channels: CMAPSS_SENSORS, seed: 1, rounds: 40 };
  beforeAll(async () => {
    trajs = (await readCmapss(TRAIN, true)).trajectories;
  });

  it('learns the capped target on held-out engines, its calibrated intervals cover, and it reloads from the registry with identical predictions', () => {
    const train = trajs.slice(0, 60),
      held = trajs.slice(60);
    const model = CalibratedModel.fit(gbtWindow, train, options, { seed: 1 });
    const state = model.state.model as GbtState;
    expect(state.sensors).not.toContain('s1'); // FD001's constant sensors are dropped
    expect(state.featureNames.at(-1)).toBe('age');
    const cases = truncateAtRandom(held, { seed: 2, cutsPerUnit: 3 });
    const preds = cases.map((c) => model.predict(c.history));
    const sq = preds.map((p, i) => (p.rul - Math.min(125, cases[i].truth)) ** 2);
    // a constant guess of the mean capped truth scores about 40; a weak fit of 40 trees beats 20
    expect(Math.sqrt(sq.reduce((a, b) => a + b, 0) / sq.length)).toBeLessThan(20);
    const covered = preds.filter((p, i) => cases[i].truth >= p.lower && cases[i].truth <= p.upper).length;
    expect(covered / cases.length).toBeGreaterThan(0.75);
    for (const p of preds) expect(p.lower).toBeLessThanOrEqual(p.rul);

    const registry = new ModelRegistry(mkdtempSync(join(tmpdir(), 'lt-gbt-')));
    registry.save('gbt', model, {
      parameters: options,
      features: { channels: CMAPSS_SENSORS, settings: CMAPSS_SETTINGS },
      trainingData: { source: 'FD001[0:60]', assets: 60, rows: 0, fingerprint: '' },
    });
    const back = registry.load('gbt').model;
    for (const c of cases.slice(0, 20)) expect(back.predict(c.history)).toEqual(model.predict(c.history));
  });
});
