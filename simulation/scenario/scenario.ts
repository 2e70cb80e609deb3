/**
 * The scenario file (YAML or JSON): one TypeBox schema that is the validation, the TypeScript
 * type and the documentation at once. Structural errors come from `core`'s validator (file, field,
 * line, expectation); cross-references (a stage naming an unknown pool, a mix not summing to 1)
 * are checked when the model is built (`build-model.ts`), with the same field-path style.
 *
 * Durations are strings such as "30s", "15m", "2h", "1d"; a bare number means minutes, the
 * simulator's time unit.
 */
import { dirname, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { DistributionSpec, loadConfigFile, validate } from '../../core/index.ts';
import { scenarioTargets } from '../experiments/targets.ts';

export const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\s*[0-9.]' })], {
  description: 'a duration such as "30s", "15m", "2h", "1d" (a bare number is minutes)',
});

export const PriorityName = Type.Union(
  [Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3'), Type.Literal('P4')],
  { description: 'one of "P1", "P2", "P3", "P4" (P1 has precedence)' },
);
export type PriorityName = Static<typeof PriorityName>;

const perPriority = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) =>
  Type.Object(
    {
      P1: Type.Optional(schema),
      P2: Type.Optional(schema),
      P3: Type.Optional(schema),
      P4: Type.Optional(schema),
    },
    { additionalProperties: false, minProperties: 1, description: 'keys P1..P4' },
  );

const Probability = Type.Number({ minimum: 0, maximum: 1 });

export const TierTargets = Type.Object(
  {
    respond: Type.Optional(Duration),
    onsite: Type.Optional(Duration),
    resolve: Type.Optional(Duration),
    /** how long a ticket of this tier waits for a first response before it is abandoned */
    patience: Type.Optional(DistributionSpec),
    calendar: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'a calendar under `calendars`: the respond, on-site and resolve clocks count only its open time (default: round the clock)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ArrivalCommon = {
  mix: perPriority(Probability),
  categories: Type.Optional(Type.Record(Type.String(), Probability)),
  count: Type.Optional(Type.Integer({ minimum: 1, description: 'stop after this many tickets' })),
  stage: Type.Optional(Type.String({ description: 'the stage tickets enter (default: the first in flow)' })),
};

export const ArrivalSpec = Type.Object(
  {
    poisson: Type.Optional(
      Type.Object(
        { perHour: Type.Number({ exclusiveMinimum: 0 }), ...ArrivalCommon },
        { additionalProperties: false },
      ),
    ),
    renewal: Type.Optional(
      Type.Object({ interarrival: DistributionSpec, ...ArrivalCommon }, { additionalProperties: false }),
    ),
    profile: Type.Optional(
      Type.Object(
        {
          perHour: Type.Number({ exclusiveMinimum: 0, description: 'mean arrivals per hour over a week' }),
          hourOfDay: Type.Optional(
            Type.Array(Type.Number({ minimum: 0 }), {
              minItems: 24,
              maxItems: 24,
              description: '24 relative weights, hour 0 first (normalised to mean 1)',
            }),
          ),
          dayOfWeek: Type.Optional(
            Type.Array(Type.Number({ minimum: 0 }), {
              minItems: 7,
              maxItems: 7,
              description: '7 relative weights, Monday first (normalised to mean 1)',
            }),
          ),
          overdispersion: Type.Optional(
            Type.Number({
              minimum: 0,
              description: 'coefficient of variation of a daily gamma demand factor',
            }),
          ),
          ...ArrivalCommon,
        },
        { additionalProperties: false },
      ),
    ),
    replay: Type.Optional(
      Type.Object(
        {
          file: Type.String({ minLength: 1, description: 'CSV ticket log (relative to the scenario file)' }),
          columns: Type.Optional(
            Type.Object(
              {
                id: Type.Optional(Type.String()),
                openedAt: Type.Optional(Type.String()),
                priority: Type.Optional(Type.String()),
                category: Type.Optional(Type.String()),
                skill: Type.Optional(Type.String()),
                resolvedAt: Type.Optional(Type.String()),
              },
              { additionalProperties: false, description: "field -> the log's column name" },
            ),
          ),
          format: Type.Optional(
            Type.String({
              description: 'timestamp format: "iso" (default) or a pattern like "DD-MM-YYYY HH:mm"',
            }),
          ),
          priorities: Type.Optional(
            Type.Record(Type.String(), PriorityName, { description: "the log's priority labels -> P1..P4" }),
          ),
          delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
          origin: Type.Optional(
            Type.String({ description: "log time (in the log's format) that becomes simulation time 0" }),
          ),
          shift: Type.Optional(Duration),
          scale: Type.Optional(
            Type.Number({ minimum: 0, description: 'tickets per logged ticket: 0.5 thins, 1.2 adds 20%' }),
          ),
          count: ArrivalCommon.count,
          stage: ArrivalCommon.stage,
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'one of poisson, renewal, profile, replay',
  },
);
export type ArrivalSpec = Static<typeof ArrivalSpec>;

export const Weekday = Type.Union(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => Type.Literal(d)),
  { description: 'one of mon, tue, wed, thu, fri, sat, sun' },
);

export const ClockTime = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\s*[0-9]' })], {
  description:
    'a time of day: "08:00" ("24:00" for midnight at the end), or a duration after midnight such as "8h"',
});

/** Business hours for SLA clocks: open days and times, holidays closed all day. */
export const CalendarSpec = Type.Object(
  {
    days: Type.Array(Weekday, { minItems: 1, description: 'the open days' }),
    from: ClockTime,
    to: ClockTime,
    holidays: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          'closed days: dates "2026-12-25" (with `start`), or days after simulation time 0 such as "24d"',
      }),
    ),
    start: Type.Optional(
      Type.String({
        description: 'the date of simulation time 0 (a Monday, "2026-12-21"), for holidays given as dates',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CalendarSpec = Static<typeof CalendarSpec>;

export const ShiftSpec = Type.Object(
  {
    days: Type.Optional(Type.Array(Weekday, { minItems: 1 })),
    from: Duration,
    to: Duration,
    size: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type ShiftSpec = Static<typeof ShiftSpec>;

export const PoolSpec = Type.Object(
  {
    size: Type.Optional(
      Type.Integer({ minimum: 0, description: 'staff on duty when no shift says otherwise' }),
    ),
    costPerHour: Type.Number({ minimum: 0, default: 0 }),
    skills: Type.Optional(Type.Array(Type.String())),
    shifts: Type.Optional(Type.Array(ShiftSpec, { minItems: 1 })),
    shrinkage: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description:
          'share of scheduled (paid) time not on duty (breaks, training, absence): on duty = floor(scheduled x (1 - shrinkage))',
      }),
    ),
    overflow: Type.Optional(
      Type.String({
        description:
          "a pool (e.g. temporary staff) whose free members take this pool's tickets when none of ours is free, for stages whose skill they have",
      }),
    ),
    /** how long a ticket waits in this pool's line before it is abandoned */
    patience: Type.Optional(DistributionSpec),
    preemption: Type.Union(
      [Type.Literal('none'), Type.Literal('resume'), Type.Literal('restart'), Type.Literal('resample')],
      { default: 'none', description: 'one of none, resume, restart, resample' },
    ),
  },
  { additionalProperties: false },
);
export type PoolSpec = Static<typeof PoolSpec>;

export const RouteSpec = Type.Object(
  {
    when: Type.Optional(
      Type.Object(
        {
          priority: Type.Optional(Type.Array(PriorityName, { minItems: 1 })),
          category: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    to: Type.Union([Type.String(), Type.Record(Type.String(), Probability)], {
      description: 'a stage name, "done", or a map of stage (or "done") to probability',
    }),
  },
  { additionalProperties: false },
);
export type RouteSpec = Static<typeof RouteSpec>;

export const RaiseRule = Type.Object({ after: Duration, to: PriorityName }, { additionalProperties: false });

export const StageSpec = Type.Object(
  {
    stage: Type.String({ minLength: 1 }),
    pool: Type.String({ minLength: 1 }),
    skill: Type.Optional(Type.String()),
    duration: DistributionSpec,
    durationByPriority: Type.Optional(perPriority(DistributionSpec)),
    travel: Type.Optional(DistributionSpec),
    onsite: Type.Boolean({
      default: false,
      description: 'the on-site clock stops when this stage starts (after travel)',
    }),
    next: Type.Optional(
      Type.Union([Type.String(), Type.Array(RouteSpec, { minItems: 1 })], {
        description: 'a stage name, "done", or a list of routes (first matching "when" wins)',
      }),
    ),
    escalate: Type.Optional(
      Type.Object({ after: Duration, to: Type.String() }, { additionalProperties: false }),
    ),
    pickup: Type.Optional(Duration),
    workFromLog: Type.Boolean({
      default: false,
      description:
        'replayed tickets with a logged resolution time take (resolved - opened) as their work here',
    }),
    raise: Type.Optional(perPriority(RaiseRule)),
  },
  { additionalProperties: false },
);
export type StageSpec = Static<typeof StageSpec>;

export const BacklogSpec = Type.Object(
  {
    priority: PriorityName,
    age: Duration,
    count: Type.Integer({ minimum: 1, default: 1 }),
    stage: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type BacklogSpec = Static<typeof BacklogSpec>;

export const PeakStaffSpec = Type.Object(
  {
    size: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'on duty during the window (with shifts: when no shift covers)',
      }),
    ),
    shifts: Type.Optional(
      Type.Array(ShiftSpec, { minItems: 1, description: 'another roster that applies during the window' }),
    ),
    add: Type.Optional(Type.Integer({ description: 'staff added (or removed) during the window' })),
    percent: Type.Optional(
      Type.Number({ minimum: -100, description: 'percentage added to the on-duty count, e.g. 30' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PeakSpec = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    from: Duration,
    to: Duration,
    demand: Type.Number({ minimum: 0, default: 1, description: 'multiplies every arrival source' }),
    staff: Type.Optional(Type.Record(Type.String(), PeakStaffSpec, { description: 'pool -> change' })),
  },
  { additionalProperties: false },
);
export type PeakSpec = Static<typeof PeakSpec>;

export const Scenario = Type.Object(
  {
    name: Type.String({ default: 'scenario' }),
    description: Type.Optional(Type.String()),
    seed: Type.Integer({ default: 1 }),
    replications: Type.Integer({ minimum: 1, default: 10 }),
    horizon: Duration,
    warmup: Type.Optional(Duration),
    priorities: perPriority(TierTargets),
    calendars: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), CalendarSpec, {
        description: 'named business calendars, for tiers whose SLA clocks count business time',
      }),
    ),
    arrivals: Type.Array(ArrivalSpec, { default: [] }),
    pools: Type.Record(Type.String({ minLength: 1 }), PoolSpec, { minProperties: 1 }),
    flow: Type.Array(StageSpec, { minItems: 1 }),
    backlog: Type.Array(BacklogSpec, { default: [] }),
    peaks: Type.Array(PeakSpec, { default: [] }),
    series: Type.Optional(
      Type.Object(
        { bin: Duration },
        { additionalProperties: false, description: 'report arrivals per tier in bins of this length' },
      ),
    ),
    targets: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "the goals a planner aims at, in optimize's target syntax (e.g. 'P1.respond.sla>=0.95', 'P2.resolve.mean<=4h'): drawn as target lines on charts, and optimize's targets when no --target is given",
      }),
    ),
    currency: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 12,
        description:
          'the currency of every costPerHour, e.g. "EUR", shown with costs (default: "cost units")',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Scenario = Static<typeof Scenario>;

/** A scenario and the directory its relative paths (empirical files) resolve against. */
export interface LoadedScenario {
  scenario: Scenario;
  baseDir: string;
  source: string;
}

/**
 * Reads and validates a scenario file; errors name the file, the field and its line. Its `targets`
 * are resolved against it here, so a goal naming a tier or pool it lacks fails on load.
 */
export function loadScenario(file: string): LoadedScenario {
  const path = resolve(file);
  const scenario = loadConfigFile(path, Scenario);
  scenarioTargets(scenario, path);
  return { scenario, baseDir: dirname(path), source: path };
}

/** Validates a scenario given as an object (API body, test, benchmark), its `targets` included. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const scenario = validate(Scenario, structuredClone(value), source);
  scenarioTargets(scenario, source);
  return scenario;
}
