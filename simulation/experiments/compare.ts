/**
 * Comparing plans under common random numbers: two plans run with the same seed see the same
 * tickets with the same work, so their replication r results are paired. The difference of a
 * statistic gets its own 95% interval from the per-replication differences (a paired-t interval,
 * Law, "Simulation Modeling and Analysis", 5th ed., section 10.2.1), far narrower than the
 * difference of two independent intervals. A plan compared with itself differs by exactly zero.
 */
import { confidenceInterval, type Interval } from '../../core/statistics/confidence-interval.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';
import type { ReplicationResult } from '../engine/replication.ts';
import type { ExperimentResult } from './results.ts';

export interface PlanDifference {
  /** other minus base, per statistic */
  priorities: Partial<
    Record<
      (typeof PRIORITIES)[number],
      {
        respondMean: Interval;
        respondAttainment: Interval;
        resolveMean: Interval;
        resolveAttainment: Interval;
        pAbandon: Interval;
      }
    >
  >;
  pools: Record<string, { utilisation: Interval; cost: Interval }>;
  cost: Interval;
}

const totalCost = (r: ReplicationResult) => Object.values(r.pools).reduce((s, p) => s + p.cost, 0);

export function comparePlans(base: ExperimentResult, other: ExperimentResult): PlanDifference {
  const a = base.perReplication;
  const b = other.perReplication;
  if (a.length !== b.length || base.seed !== other.seed) {
    throw new RangeError(
      `plans must share seed and replications to be paired (got seed ${base.seed}/${other.seed}, ${a.length}/${b.length} replications)`,
    );
  }
  const diff = (pick: (r: ReplicationResult) => number | undefined): Interval =>
    confidenceInterval(a.map((r, i) => (pick(b[i]) ?? NaN) - (pick(r) ?? NaN)));
  const priorities: PlanDifference['priorities'] = {};
  for (const p of PRIORITIES) {
    if (!a[0].tiers[p] || !b[0].tiers[p]) continue;
    priorities[p] = {
      respondMean: diff((r) => r.tiers[p]?.respond.mean),
      respondAttainment: diff((r) => r.tiers[p]?.respond.attainment),
      resolveMean: diff((r) => r.tiers[p]?.resolve.mean),
      resolveAttainment: diff((r) => r.tiers[p]?.resolve.attainment),
      pAbandon: diff((r) => r.tiers[p]?.pAbandon),
    };
  }
  const pools: PlanDifference['pools'] = {};
  for (const name of Object.keys(a[0].pools)) {
    if (!b[0].pools[name]) continue;
    pools[name] = {
      utilisation: diff((r) => r.pools[name]?.utilisation),
      cost: diff((r) => r.pools[name]?.cost),
    };
  }
  return { priorities, pools, cost: diff(totalCost) };
}
