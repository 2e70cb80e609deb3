import type { TopLevelSpec } from 'vega-lite';
/**
 * The predictive variant of a service scenario, for comparing reactive and predictive maintenance
 * (the staffing-plan notebook, `leadtime demo`).
 */
import type { Scenario } from '../../simulation/index.ts';

/**
 * The predictive variant: every Poisson source with a hardware category is split into its
 * non-hardware part (unchanged), the hardware faults that still break down (share 1 - detection,
 * same priority mix) and the announced ones (share `detection`, planned P3 work).
 */
export function toPredictive(s: Scenario, detection: number): Scenario | null {
  const out = structuredClone(s);
  let changed = false;
  out.arrivals = s.arrivals.flatMap((a) => {
    const p = a.poisson;
    const hw = p?.categories?.hardware;
    if (!p || !hw || !p.categories) return [a];
    changed = true;
    const others = Object.fromEntries(Object.entries(p.categories).filter(([c]) => c !== 'hardware'));
    const otherShare = 1 - hw;
    const sources: Scenario['arrivals'] = [];
    if (otherShare > 0)
      sources.push({
        poisson: {
          ...p,
          perHour: p.perHour * otherShare,
          categories: Object.fromEntries(Object.entries(others).map(([c, w]) => [c, w / otherShare])),
        },
      });
    if (detection < 1)
      sources.push({
        poisson: { ...p, perHour: p.perHour * hw * (1 - detection), categories: { hardware: 1 } },
      });
    if (detection > 0)
      sources.push({
        poisson: { ...p, perHour: p.perHour * hw * detection, mix: { P3: 1 }, categories: { hardware: 1 } },
      });
    return sources;
  });
  return changed ? out : null;
}

/** Grouped bars of tickets per priority, reactive next to predictive (demo report and staffing notebook). */
export function ticketsByModeSpec(
  rows: { mode: 'reactive' | 'predictive'; priority: string; tickets: number | null }[],
  width: number,
): TopLevelSpec {
  return {
    width,
    height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'priority', type: 'nominal' },
      xOffset: { field: 'mode', type: 'nominal', sort: ['reactive', 'predictive'] },
      y: { field: 'tickets', type: 'quantitative', title: 'tickets over the horizon' },
      color: { field: 'mode', type: 'nominal', sort: ['reactive', 'predictive'] },
    },
  } as TopLevelSpec;
}
