/**
 * Where a ticket goes when a stage ends: an ordered list of rules, the first whose condition
 * (priority tier, category) matches the ticket wins, and its probabilities pick the next stage
 * (or -1: done). A rule with a single certain target draws no random number.
 */
import type { RandomStream } from '../../core/index.ts';

export const DONE = -1;

export interface RouteRule {
  /** bit i set: tier i matches (all bits when the rule has no priority condition) */
  tierMask: number;
  /** category indices that match, or null for any */
  categories: Uint8Array | null;
  /** cumulative probabilities and the stage index (or DONE) each selects */
  cumulative: Float64Array;
  targets: Int32Array;
}

export class Routing {
  constructor(
    readonly rules: readonly RouteRule[],
    private readonly rng: RandomStream,
  ) {}

  next(tier: number, category: number): number {
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      if ((rule.tierMask & (1 << tier)) === 0) continue;
      if (rule.categories !== null && (category < 0 || rule.categories[category] === 0)) continue;
      const targets = rule.targets;
      if (targets.length === 1) return targets[0];
      const u = this.rng.uniform();
      const cum = rule.cumulative;
      for (let i = 0; i < targets.length - 1; i++) if (u < cum[i]) return targets[i];
      return targets[targets.length - 1];
    }
    return DONE;
  }
}
