/**
 * One regression tree grown on binned features for squared-error boosting, after XGBoost (Chen &
 * Guestrin, KDD 2016) with LightGBM's histograms and leaf-wise growth (Ke et al., NeurIPS 2017).
 *
 * With squared loss each row's gradient is g = prediction - target and its hessian 1, so a node's
 * sums are G = sum g and H = n. The best leaf value is w* = -G / (H + lambda) (Chen & Guestrin eq. 5)
 * and a split's gain is 1/2 [G_L^2/(H_L + lambda) + G_R^2/(H_R + lambda) - G^2/(H + lambda)] (eq. 7;
 * its complexity charge gamma is `minGain`). Each node's histogram holds G and n per bin of every
 * feature; the larger child's is the parent's minus the smaller child's. Growth is leaf-wise: the
 * leaf with the largest gain splits next, up to `maxLeaves` leaves and `maxDepth` levels.
 */
import type { BinnedMatrix } from './histogram-bins.ts';

export interface TreeOptions {
  /** most leaves (default 31) */
  maxLeaves?: number;
  /** most levels below the root (default 8) */
  maxDepth?: number;
  /** fewest rows in a leaf (default 20) */
  minLeaf?: number;
  /** L2 penalty on leaf values (default 1) */
  lambda?: number;
  /** least gain a split must bring (default 0) */
  minGain?: number;
}

/** A fitted tree as flat arrays; node 0 is the root, `feature` -1 marks a leaf. */
export interface Tree {
  feature: number[];
  /** a row goes left when its value is <= threshold */
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  /** the split's gain (eq. 7) at inner nodes, 0 at leaves */
  gain: number[];
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: Float64Array;
  c: Float64Array;
  sumG: number;
  split: Split | null;
}

export interface GrowResult {
  tree: Tree;
  /** the rows each leaf node holds, for updating training predictions without a traversal */
  leafRows: { node: number; rows: Uint32Array }[];
}

/**
 * Grows a tree on `rows` of the binned matrix with gradients `grad` (prediction - target), trying
 * only `features`. Leaf values are the unshrunk w*.
 */
export function growTree(
  data: BinnedMatrix,
  grad: Float64Array,
  rows: Uint32Array,
  features: Int32Array,
  o: TreeOptions = {},
): GrowResult {
  const maxLeaves = o.maxLeaves ?? 31;
  const maxDepth = o.maxDepth ?? 8;
  const minLeaf = Math.max(1, o.minLeaf ?? 20);
  const lambda = o.lambda ?? 1;
  const minGain = o.minGain ?? 0;
  const { n, bins, edges } = data;
  // histogram stride: the most bins any feature has
  const B = edges.reduce((m, e) => Math.max(m, e.length + 1), 1);
  const order = Uint32Array.from(rows);
  const scratch = new Uint32Array(order.length);
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [], gain: [] };
  const newNode = (value: number): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(value);
    tree.gain.push(0);
    return tree.feature.length - 1;
  };

  const histogram = (start: number, end: number): { g: Float64Array; c: Float64Array; sumG: number } => {
    const g = new Float64Array(features.length * B);
    const c = new Float64Array(features.length * B);
    for (let k = 0; k < features.length; k++) {
      const base = features[k] * n;
      const off = k * B;
      for (let i = start; i < end; i++) {
        const r = order[i];
        const b = off + bins[base + r];
        g[b] += grad[r];
        c[b]++;
      }
    }
    let sumG = 0;
    for (let i = start; i < end; i++) sumG += grad[order[i]];
    return { g, c, sumG };
  };

  const bestSplit = (leaf: Omit<Leaf, 'split'>): Split | null => {
    const count = leaf.end - leaf.start;
    if (leaf.depth >= maxDepth || count < 2 * minLeaf) return null;
    const G = leaf.sumG;
    const parent = (G * G) / (count + lambda);
    let best: Split | null = null;
    for (let k = 0; k < features.length; k++) {
      const nb = edges[features[k]].length + 1;
      const off = k * B;
      let gl = 0,
        nl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += leaf.g[off + b];
        nl += leaf.c[off + b];
        if (nl < minLeaf) continue;
        const nr = count - nl;
        if (nr < minLeaf) break;
        const gr = G - gl;
        const gain = 0.5 * ((gl * gl) / (nl + lambda) + (gr * gr) / (nr + lambda) - parent);
        if (gain > minGain && (best === null || gain > best.gain)) best = { gain, feature: k, bin: b };
      }
    }
    return best;
  };

  const rootHist = histogram(0, order.length);
  const root = newNode(-rootHist.sumG / (order.length + lambda));
  const rootLeaf: Omit<Leaf, 'split'> = { node: root, start: 0, end: order.length, depth: 0, ...rootHist };
  const leaves: Leaf[] = [{ ...rootLeaf, split: bestSplit(rootLeaf) }];

  while (leaves.length < maxLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i].split;
      if (s && (pick < 0 || s.gain > leaves[pick].split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const leaf = leaves[pick];
    const split = leaf.split!;
    const f = features[split.feature];
    // stable partition of the leaf's rows: bin <= split.bin to the left
    let l = leaf.start,
      s = 0;
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = order[i];
      if (bins[f * n + r] <= split.bin) order[l++] = r;
      else scratch[s++] = r;
    }
    order.set(scratch.subarray(0, s), l);
    const mid = l;
    const leftSmaller = mid - leaf.start <= leaf.end - mid;
    const small = leftSmaller ? histogram(leaf.start, mid) : histogram(mid, leaf.end);
    const big = { g: leaf.g, c: leaf.c, sumG: leaf.sumG - small.sumG };
    for (let i = 0; i < big.g.length; i++) {
      big.g[i] -= small.g[i];
      big.c[i] -= small.c[i];
    }
    const lh = leftSmaller ? small : big;
    const rh = leftSmaller ? big : small;
    const nl = mid - leaf.start,
      nr = leaf.end - mid;
    const ln = newNode(-lh.sumG / (nl + lambda));
    const rn = newNode(-rh.sumG / (nr + lambda));
    tree.feature[leaf.node] = f;
    tree.threshold[leaf.node] = edges[f][split.bin];
    tree.left[leaf.node] = ln;
    tree.right[leaf.node] = rn;
    tree.gain[leaf.node] = split.gain;
    const a: Omit<Leaf, 'split'> = { node: ln, start: leaf.start, end: mid, depth: leaf.depth + 1, ...lh };
    const b: Omit<Leaf, 'split'> = { node: rn, start: mid, end: leaf.end, depth: leaf.depth + 1, ...rh };
    leaves.splice(pick, 1, { ...a, split: bestSplit(a) }, { ...b, split: bestSplit(b) });
  }
  return {
    tree,
    leafRows: leaves.map((lf) => ({ node: lf.node, rows: order.slice(lf.start, lf.end) })),
  };
}

/** The tree's value for one row of raw features (row-major, `p` per row, starting at `offset`). */
export function treeValue(tree: Tree, x: ArrayLike<number>, offset = 0): number {
  let k = 0;
  while (tree.feature[k] >= 0)
    k = x[offset + tree.feature[k]] <= tree.threshold[k] ? tree.left[k] : tree.right[k];
  return tree.value[k];
}
