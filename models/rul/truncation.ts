/**
 * Truncating run-to-failure trajectories the way the C-MAPSS test sets are built: each engine is
 * cut at a random cycle and the truth is the remaining life. Defaults follow the FD001 test set's
 * published shape (Saxena et al. 2008): the shortest test history is 31 cycles and true RULs run
 * up to about 145, so cuts are drawn uniformly from the cycles that leave a history of at least
 * `minHistory` rows and a remaining life between 1 and `maxRul`.
 */
import { RandomStream } from '../../core/index.ts';
import { truncate, type Trajectory } from '../data/trajectory.ts';

export interface TruncationOptions {
  minHistory?: number;
  maxRul?: number;
  seed?: number;
  /** cuts per engine (default 1) */
  cutsPerUnit?: number;
}

export interface TruncatedCase {
  history: Trajectory;
  truth: number;
}

export function truncateAtRandom(trajs: Trajectory[], o: TruncationOptions = {}): TruncatedCase[] {
  const minHistory = o.minHistory ?? 31;
  const maxRul = o.maxRul ?? 150;
  const out: TruncatedCase[] = [];
  for (const tr of trajs) {
    const rng = new RandomStream(o.seed ?? 1, `truncate/${tr.asset}`);
    const n = tr.t.length;
    // keep rows 1..cut; truth = failureT - t[cut-1]
    let lo = minHistory;
    while (lo < n && tr.failureT! - tr.t[lo - 1] > maxRul) lo++;
    const hi = n - 1; // at least one cycle of remaining life
    if (lo > hi) continue;
    for (let c = 0; c < (o.cutsPerUnit ?? 1); c++) {
      const cut = lo + rng.int(hi - lo + 1);
      out.push({ history: truncate(tr, cut), truth: tr.failureT! - tr.t[cut - 1] });
    }
  }
  return out;
}
