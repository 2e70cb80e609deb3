/** Priority tiers: which the scenario defines, their SLA clocks and first-response patience. */
import { InputError, priorityIndex, PRIORITIES, type Distribution } from '../../../core/index.ts';
import { TierClocks } from '../../engine/sla-clocks.ts';
import { minutes, type BuildContext } from './context.ts';

export interface Tiers {
  defined: Set<string>;
  /** the tier index of a priority the scenario defines; else an error naming the field */
  requireTier(name: string, field: string): number;
  /** a fresh set of clocks per tier (the model's, and those of peak / off-peak windows) */
  tierClocks(): TierClocks[];
  tierPatience: (Distribution | null)[];
}

export function buildTiers({ scenario, dist }: BuildContext): Tiers {
  // tiers and their SLA targets
  const defined = new Set(Object.keys(scenario.priorities));
  const tierClocks = () =>
    PRIORITIES.map((p, tier) => {
      const t = scenario.priorities[p];
      const target = (v: number | string | undefined, name: string) =>
        v === undefined ? NaN : minutes(v, `priorities.${p}.${name}`);
      return new TierClocks(tier, {
        respond: target(t?.respond, 'respond'),
        onsite: target(t?.onsite, 'onsite'),
        resolve: target(t?.resolve, 'resolve'),
      });
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
