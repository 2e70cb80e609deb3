/**
 * Gradient-boosted regression trees for squared error (Friedman, "Greedy function approximation: a
 * gradient boosting machine", Ann. Statist. 2001): start from the mean target, then each round fits
 * a tree to the current gradients (prediction - target) and adds `learningRate` times its leaf
 * values. Stochastic boosting (Friedman 2002): each tree sees a seeded `subsample` of the rows and a
 * `colsample` of the features. Trees are grown on histograms (regression-tree.ts).
 */
import { RandomStream } from '../../../core/index.ts';
import { binMatrix } from './histogram-bins.ts';
import { growTree, treeValue, type Tree, type TreeOptions } from './regression-tree.ts';

export interface BoostingOptions extends TreeOptions {
  /** boosting rounds (default 300) */
  rounds?: number;
  /** shrinkage of each tree (default 0.05) */
  learningRate?: number;
  /** fraction of rows each tree sees (default 0.8) */
  subsample?: number;
  /** fraction of features each tree may split on (default 0.8) */
  colsample?: number;
  /** most bins per feature (default 64) */
  maxBins?: number;
  seed?: number;
}

export interface BoostedTrees {
  p: number;
  base: number;
  learningRate: number;
  trees: Tree[];
}

/** Fits boosted trees to a row-major n x p matrix `x` and targets `y`. */
export function fitBoostedTrees(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  o: BoostingOptions = {},
): BoostedTrees {
  const n = y.length;
  if (n === 0) throw new Error('boosted trees: no training rows');
  if (x.length !== n * p) throw new Error(`boosted trees: ${x.length} values for ${n} rows of ${p} features`);
  const rounds = o.rounds ?? 300;
  const lr = o.learningRate ?? 0.05;
  const subsample = o.subsample ?? 0.8;
  const colsample = o.colsample ?? 0.8;
  for (const [name, v] of [
    ['subsample', subsample],
    ['colsample', colsample],
  ] as const)
    if (!(v > 0 && v <= 1)) throw new Error(`${name}: expected a fraction in (0, 1], got ${v}`);
  const data = binMatrix(x, n, p, o.maxBins ?? 64);
  const rng = new RandomStream(o.seed ?? 1, 'gbt/sample');
  let base = 0;
  for (let i = 0; i < n; i++) base += y[i];
  base /= n;
  const pred = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const trees: Tree[] = [];
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const allFeatures = Int32Array.from({ length: p }, (_, i) => i);
  const nRows = Math.max(1, Math.round(subsample * n));
  const nFeatures = Math.max(1, Math.round(colsample * p));
  for (let m = 0; m < rounds; m++) {
    for (let i = 0; i < n; i++) grad[i] = pred[i] - y[i];
    const rows = nRows < n ? sample(all, nRows, rng).sort() : all;
    const features = nFeatures < p ? sample(allFeatures, nFeatures, rng).sort() : allFeatures;
    const { tree } = growTree(data, grad, rows, features, o);
    // binned traversal of every row (the sampled-out ones too): bin <= b is value <= edge b
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k] >= 0) {
        const f = tree.feature[k];
        k = x[i * p + f] <= tree.threshold[k] ? tree.left[k] : tree.right[k];
      }
      pred[i] += lr * tree.value[k];
    }
    trees.push(tree);
  }
  return { p, base, learningRate: lr, trees };
}

/** Prediction for one row of raw features starting at `offset` of `x`. */
export function predictBoosted(model: BoostedTrees, x: ArrayLike<number>, offset = 0): number {
  let s = model.base;
  for (const t of model.trees) s += model.learningRate * treeValue(t, x, offset);
  return s;
}

/** k distinct items drawn without replacement (partial Fisher-Yates). */
function sample<T extends Uint32Array | Int32Array>(items: T, k: number, rng: RandomStream): T {
  const a = items.slice() as T;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, k) as T;
}
