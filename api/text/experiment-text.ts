/** Simulation results as text: one experiment, a sweep, a paired comparison. */
import type { Interval } from '../../core/index.ts';
import type { ExperimentResult, PlanDifference, ResultWarning, SweepPoint } from '../../simulation/index.ts';

const num = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));
const ci = (i: Interval, digits = 1) =>
  i.halfWidth === null ? num(i.mean, digits) : `${num(i.mean, digits)} ±${num(i.halfWidth, digits)}`;
const pct = (i: Interval) =>
  i.mean === null
    ? '-'
    : `${(100 * i.mean).toFixed(1)}%${i.halfWidth === null ? '' : ` ±${(100 * i.halfWidth).toFixed(1)}`}`;

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

/** The human summary: one line per priority and per pool, means ± 95% CI half-widths. */
export function describe(r: ExperimentResult): string {
  const lines = [
    `${r.scenario}: ${r.replications} replications, seed ${r.seed}, ${r.tickets.toLocaleString('en')} tickets in ${r.wallSeconds.toFixed(2)} s ` +
      `(${Math.round(r.ticketsPerSecond).toLocaleString('en')} tickets/s), times in ${r.timeUnit}, mean ±95% CI half-width`,
  ];
  const note = clockNote(r);
  if (note) lines.push(`  ${note}`);
  for (const [p, t] of Object.entries(r.priorities)) {
    const sla = (c: typeof t.respond, name: string) =>
      c.sla ? `  ${name} SLA ${pct(c.sla.attainment)}` : '';
    lines.push(
      `  ${p}${clockTag(t)}: ${ci(t.count, 0)} tickets | respond mean ${ci(t.respond.mean)} p90 ${ci(t.respond.p90)}${sla(t.respond, 'respond')}` +
        (t.onsite ? ` | on site mean ${ci(t.onsite.mean)}${sla(t.onsite, 'on-site')}` : '') +
        ` | resolve mean ${ci(t.resolve.mean)} p90 ${ci(t.resolve.p90)}${sla(t.resolve, 'resolve')}` +
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
  for (const [name, p] of Object.entries(r.pools)) {
    lines.push(
      `  pool ${name}: utilisation ${pct(p.utilisation)}, on duty ${ci(p.meanOnDuty)}, queue ${ci(p.meanQueue)}, cost ${ci(p.cost, 0)}`,
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
    const values = Object.entries(p.values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const tiers = Object.entries(p.result.priorities)
      .map(
        ([name, t]) =>
          `${name}${clockTag(t)} respond ${t.respond.sla ? pct(t.respond.sla.attainment) : '-'} resolve ${t.resolve.sla ? pct(t.resolve.sla.attainment) : '-'}`,
      )
      .join(' | ');
    const pools = Object.entries(p.result.pools)
      .map(([name, q]) => `${name} ${pct(q.utilisation)}`)
      .join(', ');
    lines.push(`  ${values}: cost ${p.cost.toFixed(0)} | ${tiers} | utilisation ${pools}`);
    lines.push(...describeWarnings(p.result.warnings, '    '));
  }
  return lines.join('\n');
}

export function describeDifference(base: string, other: string, d: PlanDifference): string {
  const lines = [`${other} minus ${base} (paired over replications, common random numbers):`];
  for (const [p, t] of Object.entries(d.priorities)) {
    lines.push(
      `  ${p}: respond mean ${ci(t.respondMean)} min, respond SLA ${pct(t.respondAttainment)}, resolve mean ${ci(t.resolveMean)} min, resolve SLA ${pct(t.resolveAttainment)}`,
    );
  }
  lines.push(`  cost ${ci(d.cost, 0)}`);
  return lines.join('\n');
}
