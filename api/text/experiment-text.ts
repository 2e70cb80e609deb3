/**
 * Simulation results as text: one experiment, a sweep, a paired comparison; and the sentences the
 * HTML reports open with (what was run, how to read the figures, what the staff cost).
 */
import type { Interval } from '../../core/index.ts';
import type { ExperimentResult, PlanDifference, ResultWarning, SweepPoint } from '../../simulation/index.ts';
import { valuesText } from '../../simulation/scenario/scenario-path.ts';
import { costUnit, measuredMinutes, minutesText, money, periodWords, perWeek } from '../report/plan-words.ts';

/**
 * mean ±half-width; when the interval was clipped to the quantity's range (a share at 100%, a
 * count near 0), its ends instead, so no figure reads past the range: "99.8% [99.1, 100.0]".
 */
function interval(i: Interval, scale: number, digits: number, suffix = ''): string {
  if (i.mean === null) return '-';
  const m = `${(scale * i.mean).toFixed(digits)}${suffix}`;
  if (i.halfWidth === null || i.lower === null || i.upper === null) return m;
  const clipped = i.mean - i.lower < i.halfWidth - 1e-12 || i.upper - i.mean < i.halfWidth - 1e-12;
  return clipped
    ? `${m} [${(scale * i.lower).toFixed(digits)}, ${(scale * i.upper).toFixed(digits)}]`
    : `${m} ±${(scale * i.halfWidth).toFixed(digits)}`;
}
const ci = (i: Interval, digits = 1) => interval(i, 1, digits);
const pct = (i: Interval) => interval(i, 100, 1, '%');

/** " [business time]" after a tier whose SLA clocks count a business calendar's open time ("" for 24/7). */
export const clockTag = (t: { clock?: string }): string =>
  t.clock !== undefined && t.clock !== '24/7' ? ` [${t.clock} time]` : '';

/** A sentence naming the tiers whose SLA clocks count business time, or null when every clock runs 24/7. */
export function clockNote(r: Pick<ExperimentResult, 'priorities'>): string | null {
  const byCalendar = new Map<string, string[]>();
  for (const [p, t] of Object.entries(r.priorities)) {
    if (!clockTag(t)) continue;
    byCalendar.set(t.clock, [...(byCalendar.get(t.clock) ?? []), p]);
  }
  if (byCalendar.size === 0) return null;
  const parts = [...byCalendar].map(
    ([cal, tiers]) => `${tiers.join(', ')}: SLA clocks count only the open minutes of calendar "${cal}"`,
  );
  const timed = [...byCalendar.values()].flat().length;
  return (
    `${parts.join('; ')} (respond, on-site and resolve times, quantiles and attainment)` +
    (timed < Object.keys(r.priorities).length ? '; the other tiers run 24/7.' : '.')
  );
}

/** What was run, as a sentence: replications, seed, the window measured, tickets and time. */
export function runSentence(r: ExperimentResult): string {
  const window = periodWords(measuredMinutes(r));
  const warmup = r.warmup > 0 ? `after a warm-up of ${periodWords(r.warmup)}` : 'from the start (no warm-up)';
  return (
    `${r.replications} replication${r.replications === 1 ? '' : 's'} of ${r.scenario} (seed ${r.seed}), ` +
    `each measured over ${window} ${warmup}: ${r.tickets.toLocaleString('en')} tickets simulated in ${r.wallSeconds.toFixed(1)} s.`
  );
}

/** How to read the figures, as a sentence. */
export const RANGE_SENTENCE =
  'Times are in minutes. Each figure is the mean across replications with its 95% confidence interval in brackets, ' +
  'clipped to the range the quantity can take (shares within 0-100%, counts and times 0 or more).';

/** The staff cost per week and over the measured window, as a sentence. */
export function costSentence(r: ExperimentResult): string {
  const minutes = measuredMinutes(r);
  const total = Object.values(r.pools).reduce((s, p) => s + (p.cost.mean ?? 0), 0);
  const unit = r.config.currency ? '' : ' (the scenario sets no `currency`)';
  return `Staff cost: ${money(perWeek(total, minutes), r.config.currency)} per week, ${money(total, r.config.currency)} over the ${periodWords(minutes)} measured${unit}.`;
}

/** The human summary: one line per priority and per pool, means ± 95% CI half-widths. */
export function describe(r: ExperimentResult): string {
  const lines = [
    `${r.scenario}: ${r.replications} replications, seed ${r.seed}, ${r.tickets.toLocaleString('en')} tickets in ${r.wallSeconds.toFixed(2)} s ` +
      `(${Math.round(r.ticketsPerSecond).toLocaleString('en')} tickets/s), times in ${r.timeUnit}, mean ±95% CI half-width ([lower, upper] where clipped to the quantity's range)`,
  ];
  const note = clockNote(r);
  if (note) lines.push(`  ${note}`);
  for (const [p, t] of Object.entries(r.priorities)) {
    const sla = (c: typeof t.respond) =>
      c.sla ? `, SLA ${pct(c.sla.attainment)} within ${minutesText(c.sla.target ?? 0)}` : '';
    lines.push(
      `  ${p}${clockTag(t)}: ${ci(t.count, 0)} tickets | respond mean ${ci(t.respond.mean)}, p90 ${ci(t.respond.p90)}${sla(t.respond)}` +
        (t.onsite ? ` | on site mean ${ci(t.onsite.mean)}${sla(t.onsite)}` : '') +
        ` | resolve mean ${ci(t.resolve.mean)}, p90 ${ci(t.resolve.p90)}${sla(t.resolve)}` +
        ` | open at horizon ${ci(t.openAtHorizon.count, 1)}` +
        ((t.abandoned.mean ?? 0) > 0 ? ` | abandoned ${pct(t.pAbandon)}` : ''),
    );
  }
  if (r.windows) {
    for (const [name, tiers] of Object.entries(r.windows)) {
      const parts = Object.entries(tiers).map(
        ([p, t]) =>
          `${p}${clockTag(t)} ${ci(t.count, 0)} tickets, respond SLA ${t.respond.sla ? pct(t.respond.sla.attainment) : '-'}, resolve SLA ${t.resolve.sla ? pct(t.resolve.sla.attainment) : '-'}`,
      );
      lines.push(
        `  ${name === 'peak' ? 'inside peak windows' : 'outside peak windows'}: ${parts.join(' | ')}`,
      );
    }
  }
  for (const input of r.inputs) {
    lines.push(
      `  replayed ${input.file}: ${input.tickets} tickets from ${input.rows} rows (${input.duplicates} duplicate rows merged, ${input.rejectedCount} rejected)` +
        input.rejected
          .slice(0, 5)
          .map((x) => `\n    line ${x.line}: ${x.reason}`)
          .join(''),
    );
  }
  const minutes = measuredMinutes(r);
  for (const [name, p] of Object.entries(r.pools)) {
    const cost = p.cost.mean ?? 0;
    lines.push(
      `  pool ${name}: utilisation ${pct(p.utilisation)}, on duty ${ci(p.meanOnDuty)}, queue ${ci(p.meanQueue)}, ` +
        `cost ${money(perWeek(cost, minutes), r.config.currency)} per week (${money(cost, r.config.currency)} over the ${periodWords(minutes)} measured)`,
    );
  }
  lines.push(...describeWarnings(r.warnings));
  return lines.join('\n');
}

/** Each warning on its own line, code first, so it cannot be read past. */
export function describeWarnings(warnings: readonly ResultWarning[], indent = '  '): string[] {
  return warnings.map((w) => `${indent}WARNING ${w.code}: ${w.message}`);
}

/** One line per point: the values, cost, each tier's respond and resolve SLA, each pool's utilisation. */
export function describeSweep(points: SweepPoint[]): string {
  const lines = [`${points.length} points, common random numbers (mean ±95% CI half-width)`];
  for (const p of points) {
    const values = valuesText(p.values);
    const unit = costUnit(p.result.config.currency);
    const tiers = Object.entries(p.result.priorities)
      .map(
        ([name, t]) =>
          `${name}${clockTag(t)} respond ${t.respond.sla ? pct(t.respond.sla.attainment) : '-'} resolve ${t.resolve.sla ? pct(t.resolve.sla.attainment) : '-'}`,
      )
      .join(' | ');
    const pools = Object.entries(p.result.pools)
      .map(([name, q]) => `${name} ${pct(q.utilisation)}`)
      .join(', ');
    const week = Math.round(perWeek(p.cost, measuredMinutes(p.result))).toLocaleString('en');
    lines.push(`  ${values}: cost ${week} ${unit} per week | ${tiers} | utilisation ${pools}`);
    lines.push(...describeWarnings(p.result.warnings, '    '));
  }
  return lines.join('\n');
}

/**
 * Paired differences as text: times in minutes, SLA in percentage points, cost over the measured
 * window and per week in the base plan's currency (when `baseResult` is given).
 */
export function describeDifference(
  base: string,
  other: string,
  d: PlanDifference,
  baseResult?: Pick<ExperimentResult, 'horizon' | 'warmup' | 'perReplication' | 'config'>,
): string {
  const points = (i: Interval) => interval(i, 100, 1, ' points');
  const lines = [`${other} minus ${base} (paired over replications, common random numbers):`];
  for (const [p, t] of Object.entries(d.priorities)) {
    lines.push(
      `  ${p}: respond mean ${ci(t.respondMean)} min, respond SLA ${points(t.respondAttainment)}, resolve mean ${ci(t.resolveMean)} min, resolve SLA ${points(t.resolveAttainment)}`,
    );
  }
  if (baseResult && d.cost.mean !== null) {
    const minutes = measuredMinutes(baseResult);
    const unit = costUnit(baseResult.config.currency);
    lines.push(
      `  cost ${ci(d.cost, 0)} ${unit} over the ${periodWords(minutes)} measured (${Math.round(perWeek(d.cost.mean, minutes)).toLocaleString('en')} ${unit} per week)`,
    );
  } else lines.push(`  cost ${ci(d.cost, 0)}`);
  return lines.join('\n');
}
