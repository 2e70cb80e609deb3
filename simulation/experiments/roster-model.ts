/**
 * The shift-scheduling integer program (Dantzig's 1954 set-covering formulation of the
 * toll-booth problem, with Bechtold & Jacobs-style break placement made explicit):
 *
 *   minimise    sum_j cost_j x_j
 *   subject to  sum_{j covers s} x_j >= required_s      for every hour-slot s of the week
 *               x_j >= 0 integer
 *
 * One column j per template without a break, and per (template, break start) for a template with
 * a break: x_j staff work template j's hours on each of its days and take their break k hours
 * after the start, so column j covers the template's hour-slots except the break's. The week
 * wraps (slot 168 is slot 0: a Sunday 22:00-06:00 shift covers Monday 00-06). A column's cost is
 * a member of staff's paid week: costPerHour x shift length x days (breaks are paid).
 */
import { HOURS_PER_WEEK, type ShiftTemplate } from './roster-input.ts';

export interface RosterColumn {
  /** index into the templates */
  template: number;
  /** break start in hours after the shift starts (null: no break) */
  breakStart: number | null;
  /** hour-slots of the week this column's staff cover, ascending */
  slots: number[];
  /** weekly cost of one member of staff on it */
  cost: number;
}

/** Every column of the integer program: a template, or a template x each allowed break start. */
export function rosterColumns(templates: readonly ShiftTemplate[]): RosterColumn[] {
  const columns: RosterColumn[] = [];
  templates.forEach((t, template) => {
    const cost = t.costPerHour * t.length * t.days.length;
    const starts: (number | null)[] = [];
    if (t.break) for (let k = t.break.earliest; k <= t.break.latest; k++) starts.push(k);
    else starts.push(null);
    for (const breakStart of starts) {
      const slots = new Set<number>();
      for (const day of t.days)
        for (let h = 0; h < t.length; h++) {
          if (breakStart !== null && h >= breakStart && h < breakStart + t.break!.length) continue;
          slots.add((day * 24 + t.from + h) % HOURS_PER_WEEK);
        }
      columns.push({ template, breakStart, slots: [...slots].sort((a, b) => a - b), cost });
    }
  });
  return columns;
}

/** Hour-slots with a positive requirement that no column covers (the program is then infeasible). */
export function uncoverableSlots(columns: readonly RosterColumn[], required: ArrayLike<number>): number[] {
  const covered = new Uint8Array(HOURS_PER_WEEK);
  for (const c of columns) for (const s of c.slots) covered[s] = 1;
  const out: number[] = [];
  for (let s = 0; s < HOURS_PER_WEEK; s++) if (required[s] > 0 && !covered[s]) out.push(s);
  return out;
}

/** Staff on duty per hour-slot for given column values. */
export function coverageOf(columns: readonly RosterColumn[], x: ArrayLike<number>): Int32Array {
  const covered = new Int32Array(HOURS_PER_WEEK);
  columns.forEach((c, j) => {
    for (const s of c.slots) covered[s] += x[j];
  });
  return covered;
}

/**
 * The program in CPLEX LP format (what HiGHS reads): variables x0.., one row per hour-slot with a
 * positive requirement; `integer: false` gives the LP relaxation, a lower bound on the cost.
 */
export function rosterLp(
  columns: readonly RosterColumn[],
  required: ArrayLike<number>,
  integer: boolean,
): string {
  // LP-format lines are kept short: a term per line is valid (any whitespace separates tokens)
  const terms = (parts: string[]) => parts.map((p, i) => (i === 0 ? p : `+ ${p}`)).join('\n  ');
  const lines = ['Minimize', ` obj: ${terms(columns.map((c, j) => `${c.cost} x${j}`))}`, 'Subject To'];
  const bySlot: number[][] = Array.from({ length: HOURS_PER_WEEK }, () => []);
  columns.forEach((c, j) => c.slots.forEach((s) => bySlot[s].push(j)));
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    if (!(required[s] > 0)) continue;
    lines.push(` s${s}: ${terms(bySlot[s].map((j) => `x${j}`))} >= ${required[s]}`);
  }
  lines.push('Bounds', ...columns.map((_, j) => ` x${j} >= 0`));
  if (integer) lines.push('General', ...columns.map((_, j) => ` x${j}`));
  lines.push('End');
  return lines.join('\n') + '\n';
}
