/** Staff pools: size or weekly shifts, skills, cost, preemption, overflow, patience, peak staffing changes. */
import { InputError } from '../../../core/index.ts';
import type { PeakWindow, StaffChange } from '../../engine/peak-calendar.ts';
import { Pool, PREEMPTION } from '../../engine/pool.ts';
import { MINUTES_PER_DAY, ShiftRoster, WEEKDAYS } from '../../engine/shift-roster.ts';
import type { ShiftSpec } from '../scenario.ts';
import { minutes, type BuildContext } from './context.ts';

export interface Pools {
  pools: Pool[];
  poolNames: string[];
  poolByName: Map<string, Pool>;
}

/** A weekly roster from a scenario's shifts (a pool's, or a peak's replacement roster). */
function rosterOf(shifts: readonly ShiftSpec[], baseSize: number, field: string): ShiftRoster {
  return new ShiftRoster(
    shifts.map((s, j) => {
      const at = `${field}.shifts[${j}]`;
      const from = minutes(s.from, `${at}.from`);
      const to = minutes(s.to, `${at}.to`);
      if (from >= MINUTES_PER_DAY)
        throw new InputError(`${at}.from: must be before 24h, got ${JSON.stringify(s.from)}`);
      if (to > MINUTES_PER_DAY)
        throw new InputError(`${at}.to: must be at most 24h, got ${JSON.stringify(s.to)}`);
      if (to === from) throw new InputError(`${at}.to: a shift cannot end when it starts`);
      const days = (s.days ?? WEEKDAYS).map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]));
      return { days, from, to, size: s.size };
    }),
    baseSize,
  );
}

export function buildPools({ scenario, stream, dist }: BuildContext, windows: readonly PeakWindow[]): Pools {
  const poolNames = Object.keys(scenario.pools);
  const pools = poolNames.map((name, index) => {
    const p = scenario.pools[name];
    const field = `pools.${name}`;
    if (p.size === undefined && p.shifts === undefined)
      throw new InputError(`${field}.size: a pool needs a size or shifts`);
    const roster = p.shifts ? rosterOf(p.shifts, p.size ?? 0, field) : null;
    return new Pool(
      index,
      name,
      p.size ?? 0,
      p.costPerHour,
      p.skills ?? [],
      PREEMPTION[p.preemption],
      roster,
    );
  });
  const poolByName = new Map(pools.map((p) => [p.name, p]));
  for (const pool of pools) {
    const over = scenario.pools[pool.name].overflow;
    if (over !== undefined) {
      const helper = poolByName.get(over);
      if (!helper || helper === pool)
        throw new InputError(
          `pools.${pool.name}.overflow: ${helper ? 'a pool cannot overflow into itself' : `no pool named "${over}" (pools are ${poolNames.join(', ')})`}`,
        );
      pool.overflow = helper;
      helper.backs.push(pool);
    }
    pool.setShrinkage(scenario.pools[pool.name].shrinkage ?? 0);
    const spec = scenario.pools[pool.name].patience;
    if (spec) {
      pool.patience = dist(spec, `pools.${pool.name}.patience`);
      pool.patienceRng = stream(`patience/${pool.name}`);
    }
  }
  const changes = new Map<string, StaffChange[]>();
  (scenario.peaks ?? []).forEach((w, i) => {
    for (const [name, change] of Object.entries(w.staff ?? {})) {
      if (!poolByName.has(name))
        throw new InputError(
          `peaks[${i}].staff.${name}: no pool named "${name}" (pools are ${poolNames.join(', ')})`,
        );
      const list = changes.get(name) ?? [];
      list.push({
        window: windows[i],
        size: change.shifts ? undefined : change.size,
        roster: change.shifts
          ? rosterOf(change.shifts, change.size ?? 0, `peaks[${i}].staff.${name}`)
          : undefined,
        add: change.add ?? 0,
        percent: (change.percent ?? 0) / 100,
      });
      changes.set(name, list);
    }
  });
  for (const [name, list] of changes) poolByName.get(name)!.setChanges(list);

  return { pools, poolNames, poolByName };
}
