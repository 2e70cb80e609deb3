/**
 * Priority tiers: which the scenario defines, their SLA clocks (round the clock, or in a named
 * business calendar's open time) and first-response patience.
 */
import { InputError, priorityIndex, PRIORITIES, type Distribution } from '../../../core/index.ts';
import { TierClocks } from '../../engine/sla-clocks.ts';
import { buildCalendars } from './calendars.ts';
import { minutes, type BuildContext } from './context.ts';

export interface Tiers {
  defined: Set<string>;
  /** the tier index of a priority the scenario defines; else an error naming the field */
  requireTier(name: string, field: string): number;
  /** a fresh set of clocks per tier (the model's, and those of peak / off-peak windows) */
  tierClocks(): TierClocks[];
  tierPatience: (Distribution | null)[];
}

export function buildTiers(ctx: BuildContext): Tiers {
  const { scenario, dist } = ctx;
  // tiers, their SLA targets and the calendar their clocks count in
  const defined = new Set(Object.keys(scenario.priorities));
  const calendars = buildCalendars(ctx);
  const tierCalendar = PRIORITIES.map((p) => {
    const name = scenario.priorities[p]?.calendar;
    if (name === undefined) return null;
    const calendar = calendars.get(name);
    if (!calendar)
      throw new InputError(
        `priorities.${p}.calendar: tier ${p} names calendar "${name}", which is not defined under calendars (` +
          (calendars.size
            ? `calendars are ${[...calendars.keys()].join(', ')})`
            : 'the scenario defines none)'),
      );
    return { name, calendar };
  });
  const tierClocks = () =>
    PRIORITIES.map((p, tier) => {
      const t = scenario.priorities[p];
      const target = (v: number | string | undefined, name: string) =>
        v === undefined ? NaN : minutes(v, `priorities.${p}.${name}`);
      return new TierClocks(
        tier,
        {
          respond: target(t?.respond, 'respond'),
          onsite: target(t?.onsite, 'onsite'),
          resolve: target(t?.resolve, 'resolve'),
        },
        tierCalendar[tier],
      );
    });
  const tierPatience = PRIORITIES.map((p) => {
    const spec = scenario.priorities[p]?.patience;
    return spec === undefined ? null : dist(spec, `priorities.${p}.patience`);
  });

  const requireTier = (name: string, field: string): number => {
    if (!defined.has(name)) {
      throw new InputError(
        `${field}: priority ${name} is not defined under priorities (has ${[...defined].join(', ')})`,
      );
    }
    return priorityIndex(name);
  };

  return { defined, requireTier, tierClocks, tierPatience };
}
