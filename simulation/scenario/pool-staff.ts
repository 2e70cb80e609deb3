/**
 * A pool's staff level as one number a planner can sweep: its peak on-duty count (the largest of
 * its base size and its shifts' sizes). Setting it scales the whole pool, base size and every
 * shift in proportion, so a pool with a roster is swept as a roster and not through its night
 * size (which alone barely moves a shifted desk). Reached by the virtual path `pools.<pool>.staff`
 * (`--vary pools.field.staff=2..6`) and by the API's and dashboard's staffing sweeps.
 */
import { InputError } from '../../core/errors.ts'; // light: scenario-path.ts is loaded by --help
import type { Scenario } from './scenario.ts';

export const STAFF_PATH = /^pools\.([^.[\]]+)\.staff$/;
/** A path that sets a pool's staff count: its base size or its staff level (group 1: the pool). */
export const STAFF_FIELD = /^pools\.([^.[\]]+)\.(?:size|staff)$/;

/** The pool's peak on-duty count: the largest of its base size and its shift sizes. */
export function poolStaff(scenario: Scenario, pool: string): number {
  const p = scenario.pools[pool];
  if (!p) throw new InputError(`no pool "${pool}" (pools: ${Object.keys(scenario.pools).join(', ')})`);
  return Math.max(p.size ?? 0, ...(p.shifts ?? []).map((s) => s.size));
}

/**
 * A copy of the scenario with the pool scaled to `staff` at its peak: every size x staff / level,
 * rounded, and a shift that had staff keeps at least one. A pool at 0 everywhere gets `staff` as
 * its base size (and its shifts, if any).
 */
export function withPoolStaff(scenario: Scenario, pool: string, staff: number): Scenario {
  if (!(Number.isInteger(staff) && staff >= 0))
    throw new InputError(`pools.${pool}.staff: expected a whole number of staff >= 0, got ${staff}`);
  const level = poolStaff(scenario, pool);
  const copy = structuredClone(scenario);
  const p = copy.pools[pool];
  const scale = (size: number) =>
    level === 0 ? staff : size === 0 ? 0 : Math.max(staff > 0 ? 1 : 0, Math.round((size * staff) / level));
  if (p.size !== undefined || !p.shifts) p.size = scale(p.size ?? 0);
  for (const shift of p.shifts ?? []) shift.size = scale(shift.size);
  return copy;
}
