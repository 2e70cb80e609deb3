/**
 * The main job end to end on the embedded default (`leadtime demo`, what `npm start` runs), as one
 * use case returning data; the CLI prints it and writes the report. Every step is the product's own
 * path: the fleet is ingested into the telemetry store and everything downstream reads it back from
 * there; tickets are opened into the home's ticket store (the one the dashboard and
 * `leadtime tickets list` show); the service desk is simulated with the fleet's ticket logs replayed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { homeDir, MS, packageRoot, parseDuration, validate, type Progress } from '../core/index.ts';
import {
  FleetConfig,
  fleetReaders,
  ingest,
  withTelemetryStore,
  writeFleet,
  type IngestSummary,
} from '../ingest/index.ts';
import {
  CalibratedModel,
  designFleetPrior,
  fingerprint,
  fleetRulModel,
  ModelRegistry,
  storeTrajectories,
  writeDesignPrior,
  type BacktestReport,
  type ModelManifest,
} from '../models/index.ts';
import { loadScenario, runExperiment, type ExperimentResult, type Scenario } from '../simulation/index.ts';
import {
  openTicketStore,
  storeBook,
  ticketPolicy,
  ticketStorePath,
  type Ticket,
  type TicketBacktestReport,
} from '../tickets/index.ts';
import { backtestFleet, ticketBacktestFleet, truthOf, withFailures } from './fleet-backtest.ts';
import { readFailures } from './fleet-health.ts';
import { comparisonScenarios, writeComparisonLogs, type ComparisonLogs } from './predictive-comparison.ts';

const repo = packageRoot;

export const DEMO_STEPS = 7;

export interface DemoEvents {
  /** a step starts: number (1-based) and what it does */
  step(n: number, title: string): void;
  /** a progress bar for long work */
  progress(label: string, total: number): Progress;
  /** a finished piece of the demo, for the caller to print */
  result(kind: DemoResultKind, value: unknown): void;
}

export type DemoResultKind =
  'fleet' | 'ingest' | 'store' | 'backtest' | 'model' | 'tickets' | 'simulation' | 'predictive';

export interface DemoResult {
  out: string;
  fleetDir: string;
  failuresFile: string;
  /** the RUL model's design prior: where it came from, and its file as the server reads it (`leadtime serve --design-prior`) */
  designPrior: string;
  designPriorFile: string;
  fleet: { assets: number; snapshots: number };
  ingest: IngestSummary[];
  stored: { samples: number; features: number };
  backtest: BacktestReport;
  model: ModelManifest;
  tickets: TicketBacktestReport;
  /** the ticket store's tickets after the walk (the same ids as `tickets.ticketList`) */
  storeTickets: Ticket[];
  logs: ComparisonLogs;
  reactive: ExperimentResult;
  predictive: ExperimentResult;
  seconds: number;
}

/** The demo's fleet: 12 bearings run to failure, snapshots every 6 h. */
export const DEMO_FLEET = { assets: 12, snapshotSeconds: 0.25, interval: '6h' };

/** `storeUrl`: a shared store (postgres://...) instead of the home's embedded files (default LEADTIME_STORE). */
export async function runDemo(
  home: string,
  ev: DemoEvents,
  storeUrl: string | undefined = process.env.LEADTIME_STORE,
): Promise<DemoResult> {
  const started = performance.now();
  const out = homeDir(home, 'demo');
  const fleetDir = join(out, 'fleet');

  ev.step(1, 'synthetic bearing fleet (run to failure, with ground truth)');
  const fleetConfig = validate(FleetConfig, DEMO_FLEET, 'demo fleet');
  let bar: Progress | undefined;
  const fleet = writeFleet(fleetConfig, fleetDir, (done, total) => {
    bar ??= ev.progress('  snapshots', total);
    bar.update(done);
  });
  bar?.stop();
  ev.result('fleet', { ...fleet, dir: fleetDir });

  ev.step(2, 'ingest the fleet into the telemetry store (scalars, and condition indicators per snapshot)');
  const summaries: IngestSummary[] = [];
  const read = await withTelemetryStore(
    home,
    async (store) => {
      for (const reader of fleetReaders(fleetDir)) {
        const s = await ingest(reader, store, {});
        summaries.push(s);
        ev.result('ingest', s);
      }
      const counts = await store.counts();
      ev.result('store', { location: store.location, ...counts });
      return { counts, ...(await storeTrajectories(store)) };
    },
    storeUrl,
  );

  ev.step(3, 'walk-forward backtest: anomaly alerts and RUL on the stored condition indicators');
  const failuresFile = join(fleetDir, 'truth.csv');
  const assets = withFailures(read.trajs, readFailures(failuresFile));
  // the RUL model starts from the same bearing type's failures on a design fleet (other seeds, never
  // these bearings); written beside the fleet so the server's fleet health starts from it too
  const prior = designFleetPrior(fleetConfig);
  const designPriorFile = join(fleetDir, 'design-prior.json');
  writeDesignPrior(designPriorFile, prior);
  const backtest = backtestFleet(assets, fleetConfig.seed, parseDuration('2d'), prior);
  ev.result('backtest', { report: backtest, designPrior: prior.source });

  ev.step(
    4,
    'predictive tickets: the fleet assessment through the ticket policy into the ticket store, walking forward in time',
  );
  // the model the fleet would run from here on, trained on every failed bearing, in the registry
  const setup = fleetRulModel(assets, fleetConfig.seed, prior);
  const trained = CalibratedModel.fit(setup.family, assets, setup.options, {
    calibrationFolds: 3,
    minHistory: 3,
    maxRul: Infinity,
  });
  // the manifest names the prior (its file is beside the fleet); the model's state carries it whole
  const { prior: _prior, ...options } = setup.options;
  const model = ModelRegistry.inHome(home).save('bearing-rul', trained, {
    parameters: { ...options, designPrior: prior.source, ...trained.calibrationManifest() },
    features: { channels: setup.options.channels, settings: [] },
    trainingData: {
      source: fleetDir,
      assets: assets.length,
      rows: assets.reduce((n, a) => n + a.t.length, 0),
      fingerprint: fingerprint(assets),
    },
    metrics: {
      backtest: {
        detectionRate: backtest.detectionRate,
        falseAlarmsPerAssetMonth: backtest.falseAlarmsPerAssetMonth,
        meanPrognosticHorizonMs: backtest.meanPrognosticHorizon,
      },
    },
  });
  ev.result('model', model);
  // the demo's tickets are the walk's: the store starts afresh so a rerun shows the same tickets
  // (a shared store is not reset: a rerun's evaluations are not newer than the stored ones and change nothing)
  const ticketFile = ticketStorePath(home);
  if (!storeUrl) for (const suffix of ['', '.wal']) rmSync(ticketFile + suffix, { force: true });
  const policy = ticketPolicy({}, 'defaults');
  const ticketStore = await openTicketStore(home, storeUrl);
  let tickets: TicketBacktestReport;
  let storeTickets: Ticket[];
  try {
    tickets = await ticketBacktestFleet(assets, {
      policy,
      seed: fleetConfig.seed,
      leadTimeMs: MS.d,
      book: storeBook(ticketStore, policy),
      prior,
    });
    storeTickets = await ticketStore.list();
  } finally {
    await ticketStore.close();
  }
  ev.result('tickets', { report: tickets, location: ticketStore.location, stored: storeTickets.length });

  ev.step(
    5,
    'staffing simulation, reactive: the service desk with every bearing failure replayed as a breakdown',
  );
  const { scenario, baseDir } = loadScenario(join(repo, 'data/scenarios/service-desk.yaml'));
  const logs = writeComparisonLogs(out, { truth: truthOf(assets), tickets: storeTickets, walk: tickets });
  const both = comparisonScenarios({ ...scenario, replications: Math.min(scenario.replications, 8) }, logs);
  const simulate = async (sc: Scenario) => {
    const b = ev.progress('  replications', sc.replications);
    try {
      return await runExperiment(sc, { baseDir, onProgress: (d) => b.update(d) });
    } finally {
      b.stop();
    }
  };
  const reactive = await simulate(both.reactive);
  ev.result('simulation', reactive);

  ev.step(
    6,
    `staffing simulation, predictive: the exported ticket log (${logs.predictiveTickets} tickets) replayed as planned work, ${logs.breakdownsPredictive} unannounced failures as breakdowns`,
  );
  const predictive = await simulate(both.predictive);
  ev.result('predictive', predictive);

  return {
    out,
    fleetDir,
    failuresFile,
    designPrior: prior.source,
    designPriorFile,
    fleet,
    ingest: summaries,
    stored: { samples: read.counts.samples, features: read.counts.features },
    backtest,
    model,
    tickets,
    storeTickets,
    logs,
    reactive,
    predictive,
    seconds: (performance.now() - started) / 1000,
  };
}
