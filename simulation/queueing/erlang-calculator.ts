/**
 * The staffing calculator behind `leadtime erlang c|a`: from a call volume per interval, a mean
 * handling time and a service-level target ("80% answered within 20 s"), the fewest agents that
 * meet it, with the probability of waiting, the service level, the average speed of answer and the
 * occupancy at that number; with a mean patience (Erlang A, M/M/c+M) also P(abandon).
 *
 * Erlang C (no abandonment): SL(c) = 1 - C(c, a) e^{-(c - a) T / AHT}, ASA = C(c, a) AHT / (c - a),
 * occupancy = a / c, with a = calls / interval x AHT Erlangs (Gross & Harris eq. 2.36-2.40). Erlang A:
 * the exact birth-death computation of `erlang-a.ts`; its service level counts abandoned callers
 * as not answered in time (answered within T / offered), and `serviceLevelAnswered` gives the
 * share among answered callers.
 *
 * Shrinkage and an occupancy cap (workforce-management practice, e.g. Koole 2013 ch. 4): the agents
 * found are raised until occupancy = traffic / agents <= maxOccupancy (a cap on how hard agents
 * work, which at high volume binds before the service level does), and `scheduled` =
 * ceil(agents / (1 - shrinkage)) is the paid staff that leaves `agents` on duty.
 */
import { erlangC } from './erlang.ts';
import { erlangA, erlangAAnsweredWithin } from './erlang-a.ts';
import { scheduledStaff } from '../engine/shrinkage.ts';

export interface ErlangQuery {
  /** calls offered per interval, and the interval's length (minutes) */
  calls: number;
  interval: number;
  /** mean handling time (minutes) */
  aht: number;
  /** the service-level target: share answered within `within` minutes */
  target?: number;
  within: number;
  /** mean patience in minutes (Erlang A); undefined: Erlang C */
  patience?: number;
  /** evaluate this many agents instead of searching */
  agents?: number;
  /** share of paid time not on duty (default 0) */
  shrinkage?: number;
  /** the highest occupancy (traffic / agents) allowed, in (0, 1] */
  maxOccupancy?: number;
}

export interface ErlangAnswer {
  model: 'erlang-c' | 'erlang-a';
  /** offered load in Erlangs */
  traffic: number;
  /** agents needed on duty */
  agents: number;
  /** staff to schedule for `agents` on duty: ceil(agents / (1 - shrinkage)) */
  scheduled: number;
  shrinkage: number;
  pWait: number;
  serviceLevel: number;
  /** average speed of answer (mean wait of answered calls), minutes */
  asa: number;
  occupancy: number;
  /** Erlang A only */
  pAbandon?: number;
  serviceLevelAnswered?: number;
  /** whether the target and the occupancy cap are met at this number of agents (null: neither given) */
  meetsTarget: boolean | null;
}

const MAX_AGENTS = 100_000;

/** Evaluates `agents` agents (Erlang C needs agents > traffic; below that it reports a certain wait). */
export function evaluateAgents(q: ErlangQuery, agents: number): ErlangAnswer {
  check(q);
  const lambda = q.calls / q.interval;
  const mu = 1 / q.aht;
  const a = lambda / mu;
  const scheduled = scheduledStaff(agents, q.shrinkage ?? 0);
  const staff = { agents, scheduled, shrinkage: q.shrinkage ?? 0 };
  const meets = (sl: number, occupancy: number) => {
    if (q.target === undefined && q.maxOccupancy === undefined) return null;
    // the cap is compared with a tolerance: 8 / 10 must pass a cap of 0.8
    const capped = q.maxOccupancy === undefined || occupancy <= q.maxOccupancy + 1e-12;
    return capped && (q.target === undefined || sl >= q.target);
  };
  if (q.patience === undefined) {
    if (agents <= a) {
      return {
        model: 'erlang-c',
        traffic: a,
        ...staff,
        pWait: 1,
        serviceLevel: 0,
        asa: Infinity,
        occupancy: 1,
        meetsTarget: meets(0, Infinity), // an unstable queue never meets a cap
      };
    }
    const pWait = erlangC(agents, a);
    const serviceLevel = 1 - pWait * Math.exp((-(agents - a) * q.within) / q.aht);
    return {
      model: 'erlang-c',
      traffic: a,
      ...staff,
      pWait,
      serviceLevel,
      asa: (pWait * q.aht) / (agents - a),
      occupancy: a / agents,
      meetsTarget: meets(serviceLevel, a / agents),
    };
  }
  const theta = 1 / q.patience;
  const r = erlangA(agents, lambda, mu, theta);
  const answered = erlangAAnsweredWithin(agents, lambda, mu, theta, q.within, r.distribution);
  return {
    model: 'erlang-a',
    traffic: a,
    ...staff,
    pWait: r.pWait,
    serviceLevel: answered,
    asa: r.asa,
    occupancy: r.occupancy,
    pAbandon: r.pAbandon,
    serviceLevelAnswered: answered / (1 - r.pAbandon),
    meetsTarget: meets(answered, r.occupancy),
  };
}

/**
 * The fewest agents whose service level reaches the target and whose occupancy is within the cap
 * (either may be absent), or the given number evaluated.
 */
export function erlangStaffing(q: ErlangQuery): ErlangAnswer {
  check(q);
  if (q.agents !== undefined) return evaluateAgents(q, q.agents);
  if (q.target === undefined && q.maxOccupancy === undefined)
    throw new RangeError('target: give a service-level target, an occupancy cap or a number of agents');
  const a = (q.calls / q.interval) * q.aht;
  // Erlang C needs a stable queue; with abandonment any number of agents is stable
  let c = q.patience === undefined ? Math.max(1, Math.floor(a) + 1) : 1;
  for (; c <= MAX_AGENTS; c++) {
    const answer = evaluateAgents(q, c);
    if (answer.meetsTarget) return answer;
  }
  throw new RangeError(`no number of agents up to ${MAX_AGENTS} meets the target`);
}

function check(q: ErlangQuery): void {
  const positive = (v: number, name: string) => {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${name}: expected a number > 0, got ${v}`);
  };
  positive(q.calls, 'calls');
  positive(q.interval, 'interval');
  positive(q.aht, 'aht');
  if (!(q.within >= 0)) throw new RangeError(`within: expected a duration >= 0, got ${q.within}`);
  if (q.target !== undefined && !(q.target > 0 && q.target < 1))
    throw new RangeError(`target: expected a share strictly between 0 and 1, got ${q.target}`);
  if (q.patience !== undefined) positive(q.patience, 'patience');
  if (q.shrinkage !== undefined && !(q.shrinkage >= 0 && q.shrinkage < 1))
    throw new RangeError(`shrinkage: expected a share in [0, 1), got ${q.shrinkage}`);
  if (q.maxOccupancy !== undefined && !(q.maxOccupancy > 0 && q.maxOccupancy <= 1))
    throw new RangeError(`maxOccupancy: expected a share in (0, 1], got ${q.maxOccupancy}`);
  if (q.agents !== undefined && !(Number.isInteger(q.agents) && q.agents >= 1))
    throw new RangeError(`agents: expected an integer >= 1, got ${q.agents}`);
}
