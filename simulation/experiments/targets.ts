/**
 * Service targets of the optimiser, written as `METRIC>=VALUE` or `METRIC<=VALUE`:
 *   P1.respond.sla>=0.95       share of P1 tickets responded to within the tier's target
 *   P2.resolve.sla>=0.9        (also onsite.sla)
 *   P1.respond.mean<=10m       mean, p50, p90 or p95 of a clock (a duration; bare numbers are minutes)
 *   P1.pAbandon<=0.05          share of P1 tickets abandoned (also pWait)
 *   pools.agents.utilisation<=0.85
 *   peak.P1.respond.sla>=0.9   the same, for tickets opened inside (peak.) or outside (offPeak.) peaks
 * A target is met "with confidence" when the whole 95% interval is on the right side of it.
 * A scenario may carry its goals in the same syntax (`targets: ['P1.respond.sla>=0.95']`): the
 * attainment a planner aims at, drawn as target lines on charts and used by `optimize` when no
 * `--target` is given (`scenarioTargets`).
 */
// not index.ts: --target is parsed before any command runs, and the CLI's help stays light
import { parseDuration } from '../../core/duration.ts';
import { InputError } from '../../core/errors.ts';
import { nearestNames } from '../../core/nearest-names.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Interval } from '../../core/statistics/confidence-interval.ts';
import type { ExperimentResult, PriorityResult } from './results.ts';

export interface Target {
  text: string;
  metric: string;
  op: '>=' | '<=';
  value: number;
  /** where the target was given, for errors (default `--target <text>`) */
  source?: string;
}

const CLOCKS = ['respond', 'onsite', 'resolve'];
const CLOCK_STATS = ['sla', 'mean', 'p50', 'p90', 'p95'];

export function parseTarget(text: string, source = `--target ${text}`): Target {
  const m = /^\s*([A-Za-z0-9_.-]+)\s*(>=|<=)\s*(\S+)\s*$/.exec(text);
  if (!m)
    throw new InputError(`${source}: expected METRIC>=VALUE or METRIC<=VALUE (e.g. P1.respond.sla>=0.95)`);
  const [, metric, op, raw] = m;
  const parts = metric.split('.');
  const tierParts = parts[0] === 'peak' || parts[0] === 'offPeak' ? parts.slice(1) : parts;
  let value: number;
  if (parts[0] === 'pools') {
    if (parts.length !== 3 || !['utilisation', 'meanQueue', 'cost'].includes(parts[2]))
      throw new InputError(`${source}: expected pools.<pool>.utilisation, meanQueue or cost`);
    value = Number(raw);
  } else if (
    /^P[1-4]$/.test(tierParts[0]) &&
    tierParts.length === 2 &&
    ['pAbandon', 'pWait'].includes(tierParts[1])
  ) {
    value = Number(raw);
  } else if (
    /^P[1-4]$/.test(tierParts[0]) &&
    tierParts.length === 3 &&
    CLOCKS.includes(tierParts[1]) &&
    CLOCK_STATS.includes(tierParts[2])
  ) {
    value =
      tierParts[2] === 'sla'
        ? Number(raw)
        : parseDuration(/^[0-9.]+$/.test(raw) ? Number(raw) : raw, source, 'm') / 60_000;
  } else {
    throw new InputError(
      `${source}: unknown metric "${metric}" (try P1.respond.sla, P2.resolve.mean, P1.pAbandon, pools.<pool>.utilisation)`,
    );
  }
  if (!Number.isFinite(value)) throw new InputError(`${source}: "${raw}" is not a number`);
  return { text, metric, op: op as Target['op'], value, source };
}

/** Every metric a target can name in this scenario (its tiers, their SLA clocks, its pools, its peaks). */
export function targetMetrics(scenario: Scenario): string[] {
  const tiers: string[] = [];
  for (const p of PRIORITIES) {
    const tier = scenario.priorities[p];
    if (!tier) continue;
    tiers.push(`${p}.pAbandon`, `${p}.pWait`);
    for (const clock of CLOCKS)
      for (const stat of CLOCK_STATS)
        if (stat !== 'sla' || tier[clock as 'respond'] !== undefined) tiers.push(`${p}.${clock}.${stat}`);
  }
  const windows =
    scenario.peaks.length > 0 ? ['peak', 'offPeak'].flatMap((w) => tiers.map((t) => `${w}.${t}`)) : [];
  const pools = Object.keys(scenario.pools).flatMap((name) =>
    ['utilisation', 'meanQueue', 'cost'].map((stat) => `pools.${name}.${stat}`),
  );
  return [...tiers, ...pools, ...windows];
}

/**
 * Throws unless the target names a metric this scenario produces: a tier it defines, an SLA
 * clock that tier has a target for, a pool it has, peaks it has. A target on a metric the run
 * cannot produce is never met, and the optimiser would search in vain (or answer "no plan").
 */
export function resolveTarget(scenario: Scenario, target: Target): void {
  const known = targetMetrics(scenario);
  if (known.includes(target.metric)) return;
  const parts = target.metric.split('.');
  const tierParts = parts[0] === 'peak' || parts[0] === 'offPeak' ? parts.slice(1) : parts;
  let why = `the scenario produces no ${target.metric}`;
  if (parts[0] !== tierParts[0] && scenario.peaks.length === 0) why = 'the scenario has no peaks';
  else if (parts[0] === 'pools' && !scenario.pools[parts[1]])
    why = `no pool "${parts[1]}" (pools: ${Object.keys(scenario.pools).join(', ')})`;
  else if (/^P[1-4]$/.test(tierParts[0]) && !scenario.priorities[tierParts[0] as 'P1'])
    why = `the scenario has no tier ${tierParts[0]} (tiers: ${Object.keys(scenario.priorities).join(', ')})`;
  else if (tierParts[2] === 'sla')
    why = `tier ${tierParts[0]} has no ${tierParts[1]} target (priorities.${tierParts[0]}.${tierParts[1]})`;
  throw new InputError(
    `${target.source ?? `--target ${target.text}`}: ${why}; nothing was run. Nearest valid metrics: ${nearestNames(target.metric, known).join(', ')}`,
  );
}

/**
 * The scenario's own goals (`targets: [...]`), parsed and resolved against it; an error names the
 * file (or body) and the entry, e.g. `desk.yaml: targets[1] (P5.respond.sla>=0.9): ...`.
 */
export function scenarioTargets(scenario: Scenario, source = 'scenario'): Target[] {
  return (scenario.targets ?? []).map((text, i) => {
    const target = parseTarget(text, `${source}: targets[${i}] (${text})`);
    resolveTarget(scenario, target);
    return target;
  });
}

/** The interval a target's metric has in a result (null: the result has no such metric). */
export function metricOf(result: ExperimentResult, metric: string): Interval | null {
  const parts = metric.split('.');
  if (parts[0] === 'pools') {
    const pool = result.pools[parts[1]];
    return pool ? (pool[parts[2] as 'utilisation' | 'meanQueue' | 'cost'] ?? null) : null;
  }
  let tiers: Partial<Record<string, PriorityResult>> = result.priorities;
  if (parts[0] === 'peak' || parts[0] === 'offPeak') {
    if (!result.windows) return null;
    tiers = result.windows[parts[0]];
    parts.shift();
  }
  const tier = tiers[parts[0]];
  if (!tier) return null;
  if (parts.length === 2) return tier[parts[1] as 'pAbandon' | 'pWait'];
  const clock = tier[parts[1] as 'respond' | 'onsite' | 'resolve'];
  if (!clock) return null;
  if (parts[2] === 'sla') return clock.sla?.attainment ?? null;
  return clock[parts[2] as 'mean' | 'p50' | 'p90' | 'p95'];
}

export interface TargetCheck {
  target: string;
  value: Interval | null;
  /** the whole interval on the right side (with a single replication: the mean) */
  met: boolean;
  /** how far the worst end of the interval is from the target (positive: met) */
  slack: number;
  /** how far the mean is from the target (positive: the mean meets it, whatever its interval) */
  meanSlack: number;
}

export function checkTarget(result: ExperimentResult, target: Target): TargetCheck {
  const value = metricOf(result, target.metric);
  if (value === null || value.mean === null)
    return { target: target.text, value, met: false, slack: -Infinity, meanSlack: -Infinity };
  const low = value.lower ?? value.mean;
  const high = value.upper ?? value.mean;
  const slack = target.op === '>=' ? low - target.value : target.value - high;
  const meanSlack = target.op === '>=' ? value.mean - target.value : target.value - value.mean;
  return { target: target.text, value, met: slack >= 0, slack, meanSlack };
}
