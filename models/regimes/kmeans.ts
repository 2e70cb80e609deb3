/**
 * k-means with k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) and Lloyd iterations, on
 * small dimension (operating settings). Deterministic for a given seed.
 */
import { RandomStream } from '../../core/index.ts';

export interface KMeansResult {
  centroids: number[][];
  /** within-cluster sum of squares */
  wss: number;
}

const dist2 = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
};

export function nearest(centroids: number[][], x: ArrayLike<number>): number {
  let best = 0,
    bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = dist2(centroids[c], x);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export function kmeans(points: number[][], k: number, seed = 1, maxIter = 100): KMeansResult {
  const rng = new RandomStream(seed, `kmeans/${k}`);
  const n = points.length;
  const centroids: number[][] = [points[rng.int(n)].slice()];
  const d = new Float64Array(n);
  while (centroids.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d[i] = dist2(points[i], centroids[nearest(centroids, points[i])]);
    if (total === 0) break;
    let u = rng.uniform() * total;
    let pick = 0;
    while (pick < n - 1 && (u -= d[pick]) > 0) pick++;
    centroids.push(points[pick].slice());
  }
  const assign = new Int32Array(n).fill(-1);
  for (let iter = 0; iter < maxIter; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const c = nearest(centroids, points[i]);
      if (c !== assign[i]) {
        assign[i] = c;
        changed = true;
      }
    }
    const sums = centroids.map((c) => new Array(c.length).fill(0));
    const counts = new Array(centroids.length).fill(0);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      points[i].forEach((v, j) => (sums[assign[i]][j] += v));
    }
    centroids.forEach((c, ci) => counts[ci] > 0 && c.forEach((_, j) => (c[j] = sums[ci][j] / counts[ci])));
    if (!changed) break;
  }
  let wss = 0;
  for (let i = 0; i < n; i++) wss += dist2(points[i], centroids[assign[i]]);
  return { centroids, wss };
}
