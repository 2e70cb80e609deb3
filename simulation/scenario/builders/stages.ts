/** The flow's stages: pool, skill, work and travel, pickup, escalation, raise rules, and routing. */
import { InputError, PRIORITIES, TIERS } from '../../../core/index.ts';
import { DONE, Routing, type RouteRule } from '../../engine/routing.ts';
import { Stage } from '../../engine/stage.ts';
import type { StageSpec } from '../scenario.ts';
import type { Categories } from './categories.ts';
import { minutes, PROBABILITY_TOLERANCE, type BuildContext } from './context.ts';
import type { Pools } from './pools.ts';
import type { Tiers } from './tiers.ts';

export interface Stages {
  stages: Stage[];
  /** a stage's index (DONE for "done"); else an error naming the field */
  stageIndex(name: string, field: string): number;
}

export function buildStages(
  { scenario, stream, dist }: BuildContext,
  { poolByName, poolNames }: Pools,
  { requireTier }: Tiers,
  { categories, categoryIndex }: Categories,
): Stages {
  const stageNames = scenario.flow.map((s) => s.stage);
  scenario.flow.forEach((s, i) => {
    if (s.stage === 'done')
      throw new InputError(`flow[${i}].stage: "done" is reserved for the end of the flow`);
    if (stageNames.indexOf(s.stage) !== i)
      throw new InputError(`flow[${i}].stage: duplicate stage name "${s.stage}"`);
  });
  const stageIndex = (name: string, field: string): number => {
    if (name === 'done') return DONE;
    const i = stageNames.indexOf(name);
    if (i < 0)
      throw new InputError(
        `${field}: no stage named "${name}" (flow has ${stageNames.join(', ')}, or "done")`,
      );
    return i;
  };
  const stages = scenario.flow.map((s, i) => {
    const field = `flow[${i}]`;
    const pool = poolByName.get(s.pool);
    if (!pool)
      throw new InputError(`${field}.pool: no pool named "${s.pool}" (pools are ${poolNames.join(', ')})`);
    if (s.skill !== undefined && !pool.skills.includes(s.skill)) {
      throw new InputError(
        `${field}.skill: pool "${s.pool}" does not have skill "${s.skill}" (has ${pool.skills.join(', ') || 'none'})`,
      );
    }
    const base = dist(s.duration, `${field}.duration`);
    const work = PRIORITIES.map((p) => {
      const spec = s.durationByPriority?.[p];
      if (spec === undefined) return base;
      requireTier(p, `${field}.durationByPriority.${p}`);
      return dist(spec, `${field}.durationByPriority.${p}`);
    });
    const travel = s.travel ? dist(s.travel, `${field}.travel`) : null;
    const stage = new Stage(
      i,
      s.stage,
      pool,
      work,
      stream(`durations/${s.stage}`),
      travel,
      stream(`travel/${s.stage}`),
      s.onsite,
    );
    stage.skill = s.skill ?? null;
    stage.workFromLog = s.workFromLog;
    if (s.pickup !== undefined) stage.pickupTarget = minutes(s.pickup, `${field}.pickup`);
    if (s.escalate) {
      stage.escalateAfter = minutes(s.escalate.after, `${field}.escalate.after`);
      stage.escalateTo = stageIndex(s.escalate.to, `${field}.escalate.to`);
      if (stage.escalateTo === DONE || stage.escalateTo === i) {
        throw new InputError(`${field}.escalate.to: must name another stage, got "${s.escalate.to}"`);
      }
    }
    for (const p of PRIORITIES) {
      const rule = s.raise?.[p];
      if (!rule) continue;
      const at = `${field}.raise.${p}`;
      const from = requireTier(p, at);
      const to = requireTier(rule.to, `${at}.to`);
      if (to >= from) throw new InputError(`${at}.to: must be a higher priority than ${p}, got ${rule.to}`);
      stage.raiseAfter[from] = minutes(rule.after, `${at}.after`);
      stage.raiseTo[from] = to;
    }
    stage.routing = new Routing(routeRules(s, i), stream(`routing/${s.stage}`));
    return stage;
  });

  function routeRules(s: StageSpec, i: number): RouteRule[] {
    const field = `flow[${i}].next`;
    const allTiers = (1 << TIERS) - 1;
    const certain = (target: number): RouteRule => ({
      tierMask: allTiers,
      categories: null,
      cumulative: Float64Array.of(1),
      targets: Int32Array.of(target),
    });
    if (s.next === undefined) return [certain(i + 1 < stageNames.length ? i + 1 : DONE)];
    if (typeof s.next === 'string') return [certain(stageIndex(s.next, field))];
    return s.next.map((route, r) => {
      const at = `${field}[${r}]`;
      let tierMask = allTiers;
      if (route.when?.priority) {
        tierMask = 0;
        for (const p of route.when.priority) tierMask |= 1 << requireTier(p, `${at}.when.priority`);
      }
      let cats: Uint8Array | null = null;
      if (route.when?.category) {
        cats = new Uint8Array(Math.max(1, categories.length));
        for (const c of route.when.category) cats[categoryIndex(c, `${at}.when.category`)] = 1;
      }
      if (typeof route.to === 'string') {
        return { ...certain(stageIndex(route.to, `${at}.to`)), tierMask, categories: cats };
      }
      const entries = Object.entries(route.to);
      if (entries.length === 0) throw new InputError(`${at}.to: needs at least one stage`);
      const total = entries.reduce((sum, [, p]) => sum + p, 0);
      if (Math.abs(total - 1) > PROBABILITY_TOLERANCE) {
        throw new InputError(`${at}.to: probabilities must sum to 1, got ${total}`);
      }
      let cum = 0;
      return {
        tierMask,
        categories: cats,
        cumulative: Float64Array.from(entries.map(([, p]) => (cum += p))),
        targets: Int32Array.from(entries.map(([name]) => stageIndex(name, `${at}.to.${name}`))),
      };
    });
  }

  return { stages, stageIndex };
}
