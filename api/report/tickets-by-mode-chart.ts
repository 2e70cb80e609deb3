import type { TopLevelSpec } from 'vega-lite';

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
