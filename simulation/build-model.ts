/**
 * Turns a validated scenario into a runnable model for one replication: durations into minutes,
 * names into indices, distributions into samplers, and one random stream per purpose and
 * replication. Every cross-reference is checked here and a broken one is reported by field path
 * (`flow[1].pool: no pool named "experts"`), as the schema reports structural errors.
 */
import {
  distributionFromSpec,
  Exponential,
  InputError,
  parseDuration,
  RandomStream,
  type Distribution,
  type DistributionSpec,
} from '../core/index.ts';
import { ArrivalSource } from './arrival-source.ts';
import { PeakCalendar, type PeakWindow, type StaffChange } from './peak-calendar.ts';
import { ProfileSource } from './profile-source.ts';
import { loadReplay, ReplaySource, type PreparedReplay } from './replay-source.ts';
import type { TicketSource } from './ticket-source.ts';
import { Pool, PREEMPTION } from './pool.ts';
import { priorityIndex, PRIORITIES, TIERS } from './priority.ts';
import { DONE, Routing, type RouteRule } from './routing.ts';
import type { Scenario, ShiftSpec, StageSpec } from './scenario.ts';
import { ServiceModel, type BacklogTicket } from './service-model.ts';
import { MINUTES_PER_DAY, ShiftRoster, WEEKDAYS } from './shift-roster.ts';
import { TierClocks } from './sla-clocks.ts';
import { Stage } from './stage.ts';

/** The simulator's time unit: every duration in a model and its results is in minutes. */
export const TIME_UNIT = 'minutes';
const MINUTE_MS = 60_000;
const PROBABILITY_TOLERANCE = 1e-6;

export interface BuildOptions {
  seed: number;
  replication: number;
  /** directory that relative `empirical.file` paths resolve against */
  baseDir?: string;
}

/** A duration field in minutes (bare numbers are minutes). */
export function minutes(value: number | string, field: string): number {
  return parseDuration(value, field, 'm') / MINUTE_MS;
}

/** Checks a scenario's cross-references without running it (the same checks as buildModel). */
export function checkScenario(scenario: Scenario, baseDir?: string): void {
  buildModel(scenario, { seed: scenario.seed, replication: 0, baseDir });
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

export function buildModel(scenario: Scenario, options: BuildOptions): ServiceModel {
  const { seed, replication } = options;
  const stream = (purpose: string) => new RandomStream(seed, `r${replication}/${purpose}`);
  const dist = (spec: DistributionSpec, field: string): Distribution =>
    distributionFromSpec(spec, { unitMs: MINUTE_MS, baseDir: options.baseDir, field });

  const horizon = minutes(scenario.horizon, 'horizon');
  if (!(horizon > 0))
    throw new InputError(`horizon: expected a duration > 0, got ${JSON.stringify(scenario.horizon)}`);
  const warmup = scenario.warmup === undefined ? 0 : minutes(scenario.warmup, 'warmup');
  if (warmup >= horizon)
    throw new InputError(`warmup: must be shorter than the horizon (${scenario.horizon})`);

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
  const clocks = tierClocks();
  const tierPatience = PRIORITIES.map((p) => {
    const spec = scenario.priorities[p]?.patience;
    return spec === undefined ? null : dist(spec, `priorities.${p}.patience`);
  });

  // the peak calendar
  const windows: PeakWindow[] = (scenario.peaks ?? []).map((w, i) => {
    const from = minutes(w.from, `peaks[${i}].from`);
    const to = minutes(w.to, `peaks[${i}].to`);
    if (!(to > from)) throw new InputError(`peaks[${i}].to: must be after from (${JSON.stringify(w.from)})`);
    return { name: w.name, from, to, demand: w.demand ?? 1 };
  });
  const peaks = new PeakCalendar(windows);
  const requireTier = (name: string, field: string): number => {
    if (!defined.has(name)) {
      throw new InputError(
        `${field}: priority ${name} is not defined under priorities (has ${[...defined].join(', ')})`,
      );
    }
    return priorityIndex(name);
  };

  // categories, in order of first mention by an arrival source
  const categories: string[] = [];
  const replays: (PreparedReplay | null)[] = scenario.arrivals.map((a, i) =>
    a.replay ? loadReplay(a.replay, `arrivals[${i}].replay`, options.baseDir) : null,
  );
  scenario.arrivals.forEach((a, i) => {
    const names =
      replays[i]?.categories ?? Object.keys((a.poisson ?? a.renewal ?? a.profile)?.categories ?? {});
    for (const c of names) if (!categories.includes(c)) categories.push(c);
  });
  const categoryIndex = (name: string, field: string): number => {
    const i = categories.indexOf(name);
    if (i < 0)
      throw new InputError(
        `${field}: unknown category "${name}" (arrivals define ${categories.join(', ') || 'none'})`,
      );
    return i;
  };

  // pools
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

  // stages
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

  // arrival sources
  const sources = scenario.arrivals.map((a, i): TicketSource => {
    const entryOf = (stage: string | undefined, field: string) => {
      const entry = stage === undefined ? 0 : stageIndex(stage, `${field}.stage`);
      if (entry === DONE) throw new InputError(`${field}.stage: tickets must enter a stage, not "done"`);
      return entry;
    };
    const replay = replays[i];
    if (replay) {
      const field = `arrivals[${i}].replay`;
      for (let k = 0; k < replay.tiers.length; k++) {
        const tier = replay.tiers[k];
        if (!defined.has(PRIORITIES[tier])) {
          throw new InputError(
            `${field}: ${replay.file} line ${replay.lines[k]} has priority ${PRIORITIES[tier]}, which is not defined under priorities (has ${[...defined].join(', ')})`,
          );
        }
      }
      const shift = a.replay!.shift === undefined ? 0 : minutes(a.replay!.shift, `${field}.shift`);
      return new ReplaySource(
        i,
        replay.times.map((t) => t + shift),
        replay.tiers,
        Int16Array.from(replay.categoryNames, (c) => (c === null ? -1 : categories.indexOf(c))),
        replay.work,
        a.replay!.scale ?? 1,
        stream(`replay/${i}`),
        peaks,
        a.replay!.count ?? Infinity,
        entryOf(a.replay!.stage, field),
      );
    }
    const kind = a.poisson ? 'poisson' : a.renewal ? 'renewal' : 'profile';
    const spec = (a.poisson ?? a.renewal ?? a.profile)!;
    const field = `arrivals[${i}].${kind}`;
    const interarrival = a.renewal
      ? dist(a.renewal.interarrival, `${field}.interarrival`)
      : new Exponential(60 / (a.poisson ?? a.profile)!.perHour);
    const mix = Object.entries(spec.mix).filter(([, p]) => p! > 0);
    const mixTotal = mix.reduce((sum, [, p]) => sum + p!, 0);
    if (Math.abs(mixTotal - 1) > PROBABILITY_TOLERANCE) {
      throw new InputError(`${field}.mix: probabilities must sum to 1, got ${mixTotal}`);
    }
    let cum = 0;
    const tierCum = Float64Array.from(mix.map(([, p]) => (cum += p!)));
    const tierOf = Int8Array.from(mix.map(([p]) => requireTier(p, `${field}.mix.${p}`)));
    const cats = Object.entries(spec.categories ?? {});
    const catTotal = cats.reduce((sum, [, p]) => sum + p, 0);
    if (cats.length > 0 && Math.abs(catTotal - 1) > PROBABILITY_TOLERANCE) {
      throw new InputError(`${field}.categories: probabilities must sum to 1, got ${catTotal}`);
    }
    cum = 0;
    const catCum = Float64Array.from(cats.map(([, p]) => (cum += p)));
    const catOf = Int16Array.from(cats.map(([c]) => categories.indexOf(c)));
    const entry = entryOf(spec.stage, field);
    const source = new ArrivalSource(
      i,
      interarrival,
      stream(`arrivals/${i}`),
      stream(`mix/${i}`),
      tierCum,
      tierOf,
      catCum,
      catOf,
      spec.count ?? Infinity,
      entry,
    );
    for (const key of ['hourOfDay', 'dayOfWeek'] as const) {
      const weights = a.profile?.[key];
      if (weights && !weights.some((w) => w > 0))
        throw new InputError(`${field}.${key}: the weights cannot all be 0 (use a smaller perHour)`);
    }
    if (a.profile || (a.poisson && !peaks.empty)) {
      // non-homogeneous Poisson: the plain source only draws the mix
      const profile = a.profile;
      return new ProfileSource(
        i,
        (a.poisson ?? a.profile)!.perHour,
        profile?.hourOfDay,
        profile?.dayOfWeek,
        profile?.overdispersion ?? 0,
        stream(`arrivals/${i}`),
        stream(`dispersion/${i}`),
        peaks,
        source,
        spec.count ?? Infinity,
        entry,
      );
    }
    if (!peaks.empty) source.peaks = peaks;
    return source;
  });

  // backlog at time zero
  const backlog: BacklogTicket[] = [];
  scenario.backlog.forEach((b, i) => {
    const field = `backlog[${i}]`;
    const ticket = {
      tier: requireTier(b.priority, `${field}.priority`),
      age: minutes(b.age, `${field}.age`),
      category: b.category === undefined ? -1 : categoryIndex(b.category, `${field}.category`),
      stage: b.stage === undefined ? 0 : stageIndex(b.stage, `${field}.stage`),
    };
    if (ticket.stage === DONE)
      throw new InputError(`${field}.stage: a backlog ticket must wait at a stage, not "done"`);
    for (let k = 0; k < b.count; k++) backlog.push(ticket);
  });

  const model = new ServiceModel(horizon, warmup, sources, stages, pools, clocks, backlog);
  model.tierPatience = tierPatience;
  if (tierPatience.some((d) => d !== null)) model.patienceRng = stream('patience');
  model.peaks = peaks;
  if (!peaks.empty) {
    model.peakClocks = tierClocks();
    model.offPeakClocks = tierClocks();
  }
  if (scenario.series) {
    const bin = minutes(scenario.series.bin, 'series.bin');
    if (!(bin > 0))
      throw new InputError(`series.bin: expected a duration > 0, got ${JSON.stringify(scenario.series.bin)}`);
    model.seriesBin = bin;
    const bins = Math.ceil(horizon / bin);
    model.arrivalSeries = PRIORITIES.map(() => new Float64Array(bins));
    model.poolSeries = pools.map(() => ({
      busy: new Float64Array(bins),
      onDuty: new Float64Array(bins),
      queue: new Float64Array(bins),
    }));
  }
  return model;
}
