/**
 * Backtests on a run-to-failure fleet with ground truth: the walk-forward backtest of alerts and RUL
 * (`leadtime backtest`, the demo's backtest.json) and the ticket walk (`leadtime tickets backtest`,
 * the demo's tickets), both from the fleet assessment's definitions.
 */
import { loadConfigFile, MS, validate } from '../core/index.ts';
import { FleetConfig } from '../ingest/index.ts';
import {
  backtest,
  FLEET_CHANNELS,
  fleetRulModel,
  fleetTrajectories,
  type BacktestAsset,
  type BacktestReport,
  type FleetTrajectory,
  type FptDesignPrior,
  type Trajectory,
} from '../models/index.ts';
import {
  memoryBook,
  playTickets,
  policyVariants,
  type AssetTruth,
  type TicketBacktestReport,
  type TicketBook,
  type TicketPolicy,
  type TruthEvaluation,
} from '../tickets/index.ts';
import { assessFleet, evaluationsOf, type KnownFailure } from './fleet-assessment.ts';

/** An asset that ran to failure, with its defect onset. */
export type FailedAsset = BacktestAsset & { onsetT: number };

/** The fleet config of the backtests: a file's (or the defaults), with the asset count and seed given. */
export function backtestFleetConfig(o: { config?: string; assets: number; seed: number }): FleetConfig {
  const base = o.config
    ? loadConfigFile(o.config, FleetConfig)
    : validate(FleetConfig, { snapshotSeconds: 0.25, interval: '6h' }, 'defaults');
  return validate(FleetConfig, { ...base, assets: o.assets, seed: o.seed }, 'command-line options');
}

/** The synthetic fleet's trajectories, generated in memory (what the backtest commands read). */
export function generatedFleet(
  config: FleetConfig,
  onAsset?: (done: number, total: number) => void,
): FleetTrajectory[] {
  return fleetTrajectories(config, onAsset);
}

/** Trajectories joined with their known failures (assets without one are left out). */
export function withFailures(trajs: Trajectory[], failures: Map<string, KnownFailure>): FailedAsset[] {
  return trajs
    .filter((t) => failures.get(t.asset)?.onsetT !== undefined)
    .map((t) => ({
      ...t,
      failureT: failures.get(t.asset)!.failureT,
      onsetT: failures.get(t.asset)!.onsetT!,
    }));
}

export const failuresOf = (assets: FailedAsset[]): Map<string, KnownFailure> =>
  new Map(assets.map((a) => [a.asset, { failureT: a.failureT, onsetT: a.onsetT }]));

export const truthOf = (assets: FailedAsset[]): AssetTruth[] =>
  assets.map((a) => ({ asset: a.asset, onsetT: a.onsetT, failureT: a.failureT, startT: a.t[0] }));

/** Walk-forward backtest of anomaly alerts and RUL (the fleet's RUL setup) on failed assets. */
export function backtestFleet(
  assets: FailedAsset[],
  seed: number,
  leadTimeMs: number,
  prior?: FptDesignPrior,
): BacktestReport {
  return backtest(assets, {
    channels: FLEET_CHANNELS,
    leadTime: leadTimeMs,
    rul: fleetRulModel(assets, seed, prior),
  });
}

/** The walk's evaluations: the fleet assessment with every failure known (RUL walk-forward). */
export function fleetWalkEvaluations(
  assets: FailedAsset[],
  seed: number,
  prior?: FptDesignPrior,
): TruthEvaluation[] {
  const units = new Map(assets.map((a) => [a.asset, 'ms']));
  const assessment = assessFleet(assets, units, failuresOf(assets), { seed, prior });
  return evaluationsOf(assessment).map((e) => ({ ...e, at: e.t }));
}

/** The ticket walk over the fleet into a ticket book (in memory unless given the store's). */
export async function ticketBacktestFleet(
  assets: FailedAsset[],
  o: { policy: TicketPolicy; seed: number; leadTimeMs?: number; book?: TicketBook; prior?: FptDesignPrior },
): Promise<TicketBacktestReport> {
  return playTickets(
    fleetWalkEvaluations(assets, o.seed, o.prior),
    truthOf(assets),
    o.book ?? memoryBook(o.policy),
    o.leadTimeMs ?? MS.d,
  );
}

export type PolicySweepRow = Omit<TicketBacktestReport, 'ticketList' | 'perAsset'> & Record<string, unknown>;

/** One ticket walk per value of a policy field (the models' evaluations computed once). */
export async function ticketPolicySweep(
  assets: FailedAsset[],
  o: {
    policy: TicketPolicy;
    seed: number;
    leadTimeMs: number;
    key: string;
    values: string[];
    prior?: FptDesignPrior;
  },
): Promise<PolicySweepRow[]> {
  const evaluations = fleetWalkEvaluations(assets, o.seed, o.prior);
  const rows: PolicySweepRow[] = [];
  for (const v of policyVariants(o.policy, o.key, o.values)) {
    const r = await playTickets(evaluations, truthOf(assets), memoryBook(v.policy), o.leadTimeMs);
    const { ticketList: _l, perAsset: _p, ...summary } = r;
    rows.push({ [o.key]: v.value, ...summary });
  }
  return rows;
}
