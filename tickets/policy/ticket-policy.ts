/**
 * The ticket policy: how a prediction (RUL with an interval, an anomaly score against its alarm
 * threshold) becomes a priority tier P1..P4 with SLA targets, and the rules that keep the ticket
 * stream calm (one open ticket per asset and fault mode, hysteresis before opening, a cool-down
 * after closing). Loaded from YAML/JSON and validated with one TypeBox schema; every default
 * follows the "common service practice" table and can be overridden field by field.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { InputError, loadConfigFile, MS, parseDuration, validate } from '../../core/index.ts';

import { PRIORITIES, type Priority } from '../../core/index.ts';

export { PRIORITIES, rank, type Priority } from '../../core/index.ts';

const Duration = Type.String({
  pattern: '^\\s*(\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w)\\s*)+$',
  description: 'a duration like "15m", "2h", "1d"',
});

const TierRule = (defaults: object) =>
  Type.Object(
    {
      rulLowerBelow: Type.Optional(Duration),
      rulEstimateBelow: Type.Optional(Duration),
      anomaly: Type.Optional(Type.Union([Type.Literal('alarm'), Type.Literal('watch')])),
    },
    { additionalProperties: false, default: defaults },
  );

const Sla = (defaults: object) =>
  Type.Object(
    {
      respond: Duration,
      /** "planned": no on-site deadline, the visit is scheduled with the customer */
      onsite: Type.Union([Duration, Type.Literal('planned')], {
        description: 'a duration like "30m" or "planned"',
      }),
      resolve: Duration,
      /** "working": the resolve clock runs only in working hours */
      resolveClock: Type.Optional(Type.Union([Type.Literal('calendar'), Type.Literal('working')])),
    },
    { additionalProperties: false, default: defaults },
  );

/** One entry per tier; a tier left out keeps its default, a tier written replaces it whole. */
function tiers<T extends TSchema>(item: (defaults: object) => T, defaults: Record<Priority, object>) {
  return Type.Object(
    {
      P1: item(defaults.P1),
      P2: item(defaults.P2),
      P3: item(defaults.P3),
      P4: item(defaults.P4),
    },
    { additionalProperties: false, default: {} },
  );
}

export const DEFAULT_RULES = {
  P1: { rulLowerBelow: '24h' },
  P2: { rulLowerBelow: '72h' },
  P3: { rulEstimateBelow: '10d', anomaly: 'alarm' },
  P4: { anomaly: 'watch' },
};

export const DEFAULT_SLA = {
  P1: { respond: '15m', onsite: '30m', resolve: '2h' },
  P2: { respond: '30m', onsite: '2h', resolve: '4h' },
  P3: { respond: '2h', onsite: '24h', resolve: '8h', resolveClock: 'working' },
  P4: { respond: '4h', onsite: 'planned', resolve: '24h' },
};

export const TicketPolicySchema = Type.Object(
  {
    /** a tier matches when ANY of its conditions holds; the most urgent matching tier wins */
    rules: tiers(TierRule, DEFAULT_RULES),
    sla: tiers(Sla, DEFAULT_SLA),
    anomaly: Type.Object(
      {
        /** watch level: score above this fraction of the alarm threshold */
        watchRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** RUL rules apply only while the anomaly detector is at least at watch level */
    rulRequiresAnomaly: Type.Boolean({ default: false }),
    /**
     * RUL rules apply to an age-only estimate too: one made before the model's first predicting time
     * (the evaluation's firstPredictingT is null), when the asset shows no degradation and its RUL is
     * the fleet's remaining life at its age; false: only condition-based estimates open tickets
     */
    rulBeforeFpt: Type.Boolean({ default: false }),
    /** consecutive ticket-worthy evaluations of an asset and fault mode before a ticket opens */
    hysteresis: Type.Integer({ minimum: 1, default: 2 }),
    /** after a ticket is resolved or closed, no new ticket for the same asset and fault mode */
    cooldown: Type.Optional(Duration),
    /** cycles-to-hours factor for cycle-based assets (an evaluation may carry its own) */
    cycleHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** fault mode when an evaluation names none */
    defaultFaultMode: Type.String({ minLength: 1, default: 'general' }),
    /** category column of the exported ticket log */
    category: Type.String({ minLength: 1, default: 'predictive' }),
    /** evidence link: the time range shown before the evaluation */
    evidenceWindow: Type.Optional(Duration),
    /** working hours for working-time SLA clocks (UTC) */
    workingHours: Type.Object(
      {
        start: Type.Integer({ minimum: 0, maximum: 23, default: 8 }),
        end: Type.Integer({ minimum: 1, maximum: 24, default: 17 }),
        /** 0 = Sunday .. 6 = Saturday */
        days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, default: [1, 2, 3, 4, 5] }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type TicketPolicyConfig = Static<typeof TicketPolicySchema>;

/** A policy with every duration in milliseconds, ready to apply. */
export interface TicketPolicy {
  rules: Record<
    Priority,
    { rulLowerBelowMs?: number; rulEstimateBelowMs?: number; anomaly?: 'alarm' | 'watch' }
  >;
  sla: Record<
    Priority,
    { respondMs: number; onsiteMs: number | null; resolveMs: number; resolveClock: 'calendar' | 'working' }
  >;
  watchRatio: number;
  rulRequiresAnomaly: boolean;
  rulBeforeFpt: boolean;
  hysteresis: number;
  cooldownMs: number;
  cycleHours?: number;
  defaultFaultMode: string;
  category: string;
  evidenceWindowMs: number;
  workingHours: { start: number; end: number; days: number[] };
  /** the validated config it came from */
  config: TicketPolicyConfig;
}

/** Validates a policy object (defaults filled in) and converts its durations. */
export function ticketPolicy(value: unknown = {}, source = 'ticket policy'): TicketPolicy {
  // ajv fills defaults in place: give it a copy so the caller's object stays as written
  const config = validate(TicketPolicySchema, structuredClone(value ?? {}), source);
  return compile(config, source);
}

export function loadTicketPolicy(file: string): TicketPolicy {
  return compile(loadConfigFile(file, TicketPolicySchema), file);
}

function compile(c: TicketPolicyConfig, source: string): TicketPolicy {
  const d = (v: string | undefined, field: string) =>
    v === undefined ? undefined : parseDuration(v, `${source}: ${field}`);
  const rules = {} as TicketPolicy['rules'];
  const sla = {} as TicketPolicy['sla'];
  for (const p of PRIORITIES) {
    const r = c.rules[p];
    rules[p] = {
      rulLowerBelowMs: d(r.rulLowerBelow, `rules.${p}.rulLowerBelow`),
      rulEstimateBelowMs: d(r.rulEstimateBelow, `rules.${p}.rulEstimateBelow`),
      anomaly: r.anomaly,
    };
    const s = c.sla[p];
    sla[p] = {
      respondMs: d(s.respond, `sla.${p}.respond`)!,
      onsiteMs: s.onsite === 'planned' ? null : d(s.onsite, `sla.${p}.onsite`)!,
      resolveMs: d(s.resolve, `sla.${p}.resolve`)!,
      resolveClock: s.resolveClock ?? 'calendar',
    };
  }
  const wh = c.workingHours;
  if (wh.end <= wh.start)
    throw new InputError(
      `${source}: workingHours.end: expected an hour after workingHours.start (${wh.start}), got ${wh.end}`,
    );
  return {
    rules,
    sla,
    watchRatio: c.anomaly.watchRatio,
    rulRequiresAnomaly: c.rulRequiresAnomaly,
    rulBeforeFpt: c.rulBeforeFpt,
    hysteresis: c.hysteresis,
    cooldownMs: d(c.cooldown, 'cooldown') ?? 24 * MS.h,
    cycleHours: c.cycleHours,
    defaultFaultMode: c.defaultFaultMode,
    category: c.category,
    evidenceWindowMs: d(c.evidenceWindow, 'evidenceWindow') ?? 7 * MS.d,
    workingHours: { start: wh.start, end: wh.end, days: [...wh.days].sort() },
    config: c,
  };
}
