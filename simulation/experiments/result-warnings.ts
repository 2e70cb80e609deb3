/**
 * Warnings a result carries when its numbers should not be read at face value. A planner reads a
 * staffing answer as a steady-state figure; these say when it is not one:
 *
 * - `overloaded`: a pool is busy (nearly) all of its on-duty time, or a pool's line / the open
 *   tickets are still growing at the horizon (longer than one period earlier, at the same phase of
 *   the weekly or daily cycle, beyond the replications' noise): the offered load is at or above the
 *   staffed capacity and every figure depends on the horizon.
 * - `censored`: a large share of a tier's tickets is still open at the horizon; their final waits
 *   are unknown, so clock statistics describe the tickets that got through.
 * - `short-warmup`: a run from an empty desk (no backlog, no replayed log) whose warm-up is shorter
 *   than twice the mean time to resolve, so the empty start flatters waits.
 * - `few-replications`: fewer than 3 replications (no usable interval), or an SLA attainment whose
 *   95% interval is wider than +-5 points: too wide to decide a target; says how many would do.
 */
import { confidenceInterval, formatDuration } from '../../core/index.ts';
import type { ExperimentResult } from './results.ts';

export type WarningCode = 'overloaded' | 'censored' | 'short-warmup' | 'few-replications';

export interface ResultWarning {
  code: WarningCode;
  message: string;
}

/** Busy this share of on-duty time or more: the pool has no spare capacity. */
export const SATURATED_UTILISATION = 0.97;
/** Open at the horizon above this share of a tier's tickets: censored. */
export const CENSORED_SHARE = 0.1;
/** SLA attainment intervals wider than this half-width cannot decide a target. */
export const DECISIVE_HALF_WIDTH = 0.05;

const pct = (x: number) => `${(100 * x).toFixed(x < 0.995 ? 0 : 1)}%`;
const minutesText = (m: number) => formatDuration(m * 60_000);

/**
 * Growth over the last period, across replications: the mean rise and whether it is beyond noise
 * (the 95% interval of the rise above zero with 2+ replications) and large enough to matter.
 */
function growing(pairs: [number, number][]): { before: number; after: number } | null {
  if (pairs.length === 0) return null;
  const before = pairs.reduce((s, p) => s + p[0], 0) / pairs.length;
  const after = pairs.reduce((s, p) => s + p[1], 0) / pairs.length;
  const rise = after - before;
  if (!(rise >= Math.max(3, 0.1 * before))) return null;
  if (pairs.length >= 2) {
    const lower = confidenceInterval(pairs.map((p) => p[1] - p[0])).lower;
    if (lower !== null && lower <= 0) return null;
  } else if (!(rise >= Math.max(10, 0.25 * before))) return null;
  return { before, after };
}

export function resultWarnings(r: Omit<ExperimentResult, 'warnings'>): ResultWarning[] {
  const warnings: ResultWarning[] = [];
  const growth = r.perReplication.map((rep) => rep.growth).filter((g) => g !== null);
  const period = growth[0]?.period;
  for (const [name, pool] of Object.entries(r.pools)) {
    const u = pool.utilisation.mean;
    const line = growing(growth.map((g) => g.waiting[name]).filter((w) => w !== undefined));
    if (line)
      warnings.push({
        code: 'overloaded',
        message: `pool ${name}: its line grew from ${line.before.toFixed(0)} to ${line.after.toFixed(0)} tickets over the last ${minutesText(period!)} of the run (utilisation ${u === null ? '-' : pct(u)}): the offered load is above what the staffed hours can serve, and every figure depends on the horizon`,
      });
    else if (u !== null && u >= SATURATED_UTILISATION)
      warnings.push({
        code: 'overloaded',
        message: `pool ${name}: busy ${pct(u)} of its on-duty time: the offered load is at or above its staffed capacity`,
      });
  }
  const open = growing(growth.map((g) => g.open));
  if (open && !warnings.some((w) => w.code === 'overloaded'))
    warnings.push({
      code: 'overloaded',
      message: `open tickets grew from ${open.before.toFixed(0)} to ${open.after.toFixed(0)} over the last ${minutesText(period!)} of the run: the desk is not keeping up, and every figure depends on the horizon`,
    });

  for (const [p, tier] of Object.entries(r.priorities)) {
    const count = tier.count.mean ?? 0;
    const openAtEnd = tier.openAtHorizon.count.mean ?? 0;
    if (count > 0 && openAtEnd / count >= CENSORED_SHARE)
      warnings.push({
        code: 'censored',
        message: `${p}: ${pct(openAtEnd / count)} of its tickets (${openAtEnd.toFixed(0)} of ${count.toFixed(0)}) are still open at the horizon; their final waits are unknown, so its clock statistics describe the tickets that got through`,
      });
  }

  const startsEmpty = r.config.backlog.length === 0 && !r.config.arrivals.some((a) => a.replay);
  const W = r.system.meanResolve.mean;
  // an overloaded desk has no steady state for a warm-up to reach
  const overloaded = warnings.some((w) => w.code === 'overloaded');
  if (!overloaded && startsEmpty && W !== null && Number.isFinite(W) && r.warmup < 2 * W)
    warnings.push({
      code: 'short-warmup',
      message: `the warm-up (${r.warmup > 0 ? minutesText(r.warmup) : 'none'}) is shorter than twice the mean time to resolve (${minutesText(W)}): the run starts from an empty desk and its waits are flattered; set warmup to at least ${minutesText(Math.ceil((2 * W) / 60) * 60)}`,
    });

  if (r.replications < 3)
    warnings.push({
      code: 'few-replications',
      message: `${r.replications} replication${r.replications === 1 ? '' : 's'}: no usable confidence interval; run at least 3 (10 or more to decide a target)`,
    });
  else {
    const wide: string[] = [];
    let needed = r.replications;
    for (const [p, tier] of Object.entries(r.priorities))
      for (const clock of ['respond', 'onsite', 'resolve'] as const) {
        const a = tier[clock]?.sla?.attainment;
        if (!a || a.halfWidth === null || a.halfWidth <= DECISIVE_HALF_WIDTH) continue;
        wide.push(`${p} ${clock} ${pct(a.mean!)} ±${(100 * a.halfWidth).toFixed(0)} points`);
        needed = Math.max(needed, Math.ceil(r.replications * (a.halfWidth / DECISIVE_HALF_WIDTH) ** 2));
      }
    if (wide.length)
      warnings.push({
        code: 'few-replications',
        message: `SLA attainment too uncertain to decide a target within ${100 * DECISIVE_HALF_WIDTH} points: ${wide.join(', ')}; about ${needed} replications would narrow ${wide.length === 1 ? 'it' : 'them'} to ±${100 * DECISIVE_HALF_WIDTH}`,
      });
  }
  return warnings;
}
