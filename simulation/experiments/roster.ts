/**
 * Optimal shift rosters: the cheapest staffing of shift templates that covers an hourly
 * requirement over the week, solved exactly by HiGHS (branch-and-cut MIP, compiled to WebAssembly
 * in the `highs` package) on the integer program of `roster-model.ts`, with the LP relaxation's
 * optimum reported beside it as a lower bound. Not a heuristic: the status says whether HiGHS proved
 * optimality (relative gap 0).
 *
 * The solution becomes a pool's `shifts` in a scenario (`rosterShifts`): a column without a break is
 * one shift entry; a column with a break is two (before and after the break), moved to the next
 * day when they start past midnight, so the simulator's roster (shift-roster.ts) on-duty count
 * equals the roster's coverage hour by hour.
 */
import type highsModule from 'highs';
import { InputError } from '../../core/index.ts';
import type { ShiftSpec } from '../scenario/scenario.ts';
import { WEEKDAYS } from '../engine/shift-roster.ts';
import { HOURS_PER_WEEK, slotName, type ShiftTemplate } from './roster-input.ts';
import { coverageOf, rosterColumns, rosterLp, uncoverableSlots, type RosterColumn } from './roster-model.ts';

// `highs` ships CommonJS typings for an ES module default export: take the loader either way
type Loader = typeof highsModule.default;
type Highs = Awaited<ReturnType<Loader>>;
let highs: Promise<Highs> | null = null;
/** The solver module, loaded once on the first solve (instantiating the WebAssembly takes a moment). */
function solver(): Promise<Highs> {
  highs ??= import('highs').then((m) => {
    const mod = m.default as unknown;
    const loadHighs = (mod as { default?: Loader }).default ?? (mod as Loader);
    return loadHighs();
  });
  return highs;
}

export interface RosterOptions {
  /** seconds HiGHS may spend on the MIP (default 60) */
  timeLimit?: number;
}

export interface RosterShift {
  name: string;
  staff: number;
  /** weekly cost of this template's staff */
  cost: number;
  /** with a break: how many staff take it at each start (clock time) */
  breaks?: { start: string; staff: number }[];
}

export interface RosterResult {
  /** 'optimal' when HiGHS proved it; otherwise its status (e.g. a time limit with a solution) */
  status: string;
  /** weekly cost of the roster */
  cost: number;
  /** the LP relaxation's optimum: no roster can cost less */
  lpBound: number;
  shifts: RosterShift[];
  coverage: { day: string; hour: number; required: number; covered: number }[];
  /** staff-hours covered beyond the requirement over the week */
  surplusHours: number;
  columns: RosterColumn[];
  /** staff per column, in `columns` order */
  x: number[];
}

function hhmm(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

async function solve(lp: string, integer: boolean, timeLimit: number) {
  const h = await solver();
  const options = integer
    ? { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-7, time_limit: timeLimit }
    : { output_flag: false };
  return h.solve(lp, options);
}

/** The cheapest roster; exit-2 errors for a requirement that no template can cover. */
export async function solveRoster(
  templates: readonly ShiftTemplate[],
  required: ArrayLike<number>,
  options: RosterOptions = {},
): Promise<RosterResult> {
  const columns = rosterColumns(templates);
  const uncovered = uncoverableSlots(columns, required);
  if (uncovered.length > 0)
    throw new InputError(
      `no shift template covers ${uncovered
        .slice(0, 10)
        .map((s) => `${slotName(s)} (required ${required[s]})`)
        .join(', ')}${uncovered.length > 10 ? ` and ${uncovered.length - 10} more hours` : ''}`,
    );
  const x = new Array<number>(columns.length).fill(0);
  let status = 'optimal';
  let lpBound = 0;
  let anyRequired = false;
  for (let s = 0; s < HOURS_PER_WEEK; s++) anyRequired ||= required[s] > 0;
  if (anyRequired) {
    const timeLimit = options.timeLimit ?? 60;
    const relaxed = await solve(rosterLp(columns, required, false), false, timeLimit);
    if (relaxed.Status !== 'Optimal') throw new Error(`HiGHS: the LP relaxation ended ${relaxed.Status}`);
    lpBound = relaxed.ObjectiveValue;
    const mip = await solve(rosterLp(columns, required, true), true, timeLimit);
    if (mip.Status !== 'Optimal') {
      if (!(mip.Status === 'Time limit reached' && Number.isFinite(mip.ObjectiveValue)))
        throw new Error(`HiGHS: the roster MIP ended ${mip.Status}`);
      status = mip.Status;
    }
    const cols = mip.Columns as Record<string, { Primal: number }>;
    columns.forEach((_, j) => (x[j] = Math.round(cols[`x${j}`]?.Primal ?? 0)));
  }
  const covered = coverageOf(columns, x);
  for (let s = 0; s < HOURS_PER_WEEK; s++)
    if (covered[s] < required[s]) throw new Error(`HiGHS returned a roster that misses ${slotName(s)}`);
  const cost = columns.reduce((sum, c, j) => sum + c.cost * x[j], 0);
  const shifts = templates.map((t, i): RosterShift => {
    const mine = columns.map((c, j) => ({ c, n: x[j] })).filter(({ c }) => c.template === i);
    const staff = mine.reduce((s, { n }) => s + n, 0);
    const shift: RosterShift = { name: t.name, staff, cost: mine.reduce((s, { c, n }) => s + c.cost * n, 0) };
    if (t.break)
      shift.breaks = mine
        .filter(({ n }) => n > 0)
        .map(({ c, n }) => ({ start: hhmm((t.from + c.breakStart!) % 24), staff: n }));
    return shift;
  });
  const coverage = Array.from({ length: HOURS_PER_WEEK }, (_, s) => ({
    day: WEEKDAYS[Math.floor(s / 24)],
    hour: s % 24,
    required: required[s],
    covered: covered[s],
  }));
  const surplusHours = coverage.reduce((sum, c) => sum + Math.max(0, c.covered - c.required), 0);
  return { status, cost, lpBound, shifts, coverage, surplusHours, columns, x };
}

/**
 * The roster as a scenario pool's `shifts`: one entry per column with staff (two around a break),
 * each `{ days, from, to, size }` with clock times; a piece that starts past midnight moves to the
 * next day (Sunday's to Monday).
 */
export function rosterShifts(templates: readonly ShiftTemplate[], result: RosterResult): ShiftSpec[] {
  const out: ShiftSpec[] = [];
  result.columns.forEach((c, j) => {
    const n = result.x[j];
    if (n <= 0) return;
    const t = templates[c.template];
    const pieces: [number, number][] =
      c.breakStart === null
        ? [[0, t.length]]
        : [
            [0, c.breakStart],
            [c.breakStart + t.break!.length, t.length],
          ];
    for (const [a, b] of pieces) {
      if (b <= a) continue;
      const start = t.from + a;
      const dayShift = Math.floor(start / 24);
      const end = (t.from + b) % 24;
      out.push({
        days: t.days.map((d) => WEEKDAYS[(d + dayShift) % 7]),
        from: `${start % 24}h`,
        // an end at midnight is written 24h (a `to` before `from` means the next day)
        to: `${end === 0 ? 24 : end}h`,
        size: n,
      });
    }
  });
  return out;
}
