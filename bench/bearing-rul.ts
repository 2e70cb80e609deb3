/**
 * Bearing RUL on the synthetic fleet against issue 15's targets, over several seeds and fleet sizes:
 * the walk-forward backtest `leadtime backtest --seed S --assets N` runs (app/fleet-backtest.ts, the
 * fleet's RUL model `fleetRulModel`), one row per fleet.
 *
 *   npx tsx bench/bearing-rul.ts [--seeds 1-5] [--assets 12[,20]] [--json FILE] [--per-asset]
 *     [--no-prior | [--prior-weight K] [--prior-calibration C] [--strata R1,R2|none]]
 *   npx tsx bench/bearing-rul.ts --select [--seeds 101-105] [--assets 12] [--top 8]
 *
 * Targets (walk-forward, every asset): alpha-lambda accuracy (alpha 0.2) at lambda 0.5 >= 0.7; mean
 * prognostic horizon >= half the median alert lead time; 90% intervals covering the truth 80-97% of
 * the time after the first predicting time.
 *
 * The RUL model starts from the design fleet (`designFleetPrior`, seeds 101-105), as `leadtime
 * backtest` does by default (`--no-prior`: from the fleet's own failures only, its `--no-design-prior`), with
 * `--prior-weight K` (the population's weight in assets) and `--prior-calibration C` (the design's
 * calibration scores' weight in held-out assets) and `--strata R1,R2` (the calibration's strata by rows
 * since the FPT; `none` pools them) instead of the defaults. `--seeds 106-110` are the tuning fleets
 * those defaults were chosen on (models/README.md, fourth and fifth rounds).
 *
 * `--per-asset` adds each fleet's assets: fault, life, how long before its failure the first
 * prediction after the FPT came, its prognostic horizon, alpha-lambda at 0.25/0.5/0.75 and coverage.
 *
 * `--select` is how the RUL model's indicators (FLEET_RUL_CHANNELS) were chosen, on a design fleet
 * whose seeds are not the evaluated ones: every indicator's Coble & Hines fitness (monotonicity +
 * trendability + prognosability, on its rise over each asset's own baseline), then the walk-forward
 * backtest of the model on each of the `--top` fittest indicators alone.
 */
import { writeFileSync } from 'node:fs';
import { MS } from '../core/index.ts';
import { backtestFleet, backtestFleetConfig, generatedFleet } from '../app/fleet-backtest.ts';
import {
  backtest,
  designFleetPrior,
  FLEET_CHANNELS,
  fleetRulModel,
  scoreIndicator,
  type BacktestReport,
  type FleetTrajectory,
} from '../models/index.ts';

function list(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part.trim());
    if (m) {
      const out: number[] = [];
      for (let v = Number(m[1]); v <= Number(m[2]); v++) out.push(v);
      return out;
    }
    const v = Number(part);
    if (!Number.isInteger(v))
      throw new Error(`bench/bearing-rul: "${part}" is not an integer or a range a-b`);
    return [v];
  });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export interface FleetRow {
  seed: number;
  assets: number;
  prognosed: number;
  alphaLambda: (number | null)[];
  meanPh: number | null;
  medianLead: number | null;
  phOverLead: number | null;
  /** the horizon an exact predictor would reach from the same first predictions, over the lead */
  phCeiling: number | null;
  coverage: number | null;
  rmse: number | null;
  seconds: number;
  met: { alphaLambda: boolean; horizon: boolean; coverage: boolean };
}

function rowOf(r: BacktestReport, seed: number, assets: number, seconds: number): FleetRow {
  const al = r.alphaLambdaAccuracy.map((a) => a.fraction);
  const ph = r.meanPrognosticHorizon === null ? null : r.meanPrognosticHorizon / MS.h;
  const lead = r.leadTimes ? r.leadTimes.median / MS.h : null;
  const phOverLead = ph !== null && lead ? ph / lead : null;
  const cov = r.intervalCoverage;
  // an exact RUL from the first prediction on has PH = failure - first prediction on every asset
  const spans = r.perAsset
    .filter((p) => p.firstPredictionT !== null)
    .map((p) => p.failureT - p.firstPredictionT!);
  const phCeiling =
    spans.length && r.leadTimes ? spans.reduce((x, v) => x + v, 0) / spans.length / r.leadTimes.median : null;
  return {
    seed,
    assets,
    prognosed: r.prognosedAssets,
    alphaLambda: al,
    meanPh: ph,
    medianLead: lead,
    phOverLead,
    phCeiling,
    coverage: cov,
    rmse: r.rmseAfterFpt === null ? null : r.rmseAfterFpt / MS.h,
    seconds,
    met: {
      alphaLambda: (al[1] ?? 0) >= 0.7,
      horizon: (phOverLead ?? 0) >= 0.5,
      coverage: cov !== null && cov >= 0.8 && cov <= 0.97,
    },
  };
}

/** One fleet as `leadtime backtest --seed S --assets N` backtests it. */
export function measure(seed: number, assets: number, perAsset = false): FleetRow {
  const config = backtestFleetConfig({ assets, seed });
  const fleet = generatedFleet(config);
  const t0 = performance.now();
  // `--prior` is what runs anyway (kept so earlier commands in models/README.md still run)
  const prior = process.argv.includes('--no-prior') ? undefined : designFleetPrior(config);
  const weight = arg('--prior-weight', '');
  const calibration = arg('--prior-calibration', '');
  const strata = arg('--strata', '');
  if (!prior && (weight || calibration || strata))
    throw new Error(
      'bench/bearing-rul: --prior-weight, --prior-calibration and --strata need the prior (drop --no-prior)',
    );
  const r =
    weight || calibration || strata
      ? backtest(fleet, {
          channels: FLEET_CHANNELS,
          leadTime: 2 * MS.d,
          rul: ((s) => ({
            ...s,
            options: {
              ...s.options,
              ...(weight && { priorWeight: Number(weight) }),
              ...(calibration && { priorCalibrationAssets: Number(calibration) }),
              ...(strata && { calibrationStrata: strata === 'none' ? [] : strata.split(',').map(Number) }),
            },
          }))(fleetRulModel(fleet, seed, prior)),
        })
      : backtestFleet(fleet, seed, 2 * MS.d, prior);
  const row = rowOf(r, seed, assets, (performance.now() - t0) / 1000);
  if (perAsset) printAssets(r, fleet);
  return row;
}

const hours = (v: number | null) => (v === null ? '-' : (v / MS.h).toFixed(0));

/** Per asset: where its horizon and coverage come from (first prediction, horizon, misses). */
function printAssets(r: BacktestReport, fleet: FleetTrajectory[]): void {
  console.log('  asset        fault  life h  first prediction h before failure  PH h  alpha-lambda  covered');
  for (const p of r.perAsset) {
    const a = fleet.find((x) => x.asset === p.asset)!;
    const after = p.predictions.filter((q) => p.firstPredictionT !== null && q.t >= p.firstPredictionT);
    const covered = after.filter((q) => q.truth >= q.lower && q.truth <= q.upper).length;
    const al = p.alphaLambda.map((x) => (x.within === null ? '-' : x.within ? 'y' : 'n')).join('');
    console.log(
      `  ${p.asset.padEnd(12)} ${a.faultMode.padEnd(6)} ${hours(p.failureT - a.t[0]).padStart(6)}  ` +
        `${(p.firstPredictionT === null ? '-' : hours(p.failureT - p.firstPredictionT)).padStart(33)}  ` +
        `${hours(p.prognosticHorizon).padStart(4)}  ${al.padStart(12)}  ${covered}/${after.length}`,
    );
  }
}

const f = (v: number | null, d = 2) => (v === null ? '-' : v.toFixed(d));
const mark = (ok: boolean) => (ok ? ' ' : '*');
const allMet = (r: FleetRow) => r.met.alphaLambda && r.met.horizon && r.met.coverage;

function table(seeds: number[], sizes: number[], json: string, perAsset: boolean): void {
  const rows: FleetRow[] = [];
  console.log('bearing RUL, walk-forward (`leadtime backtest --seed S --assets N`); * = target not met');
  console.log(
    'seed assets prognosed | alpha-lambda 0.25/0.5/0.75 | mean PH h | median lead h | PH/lead (exact) | coverage | RMSE h | s',
  );
  for (const assets of sizes)
    for (const seed of seeds) {
      const r = measure(seed, assets, perAsset);
      rows.push(r);
      console.log(
        `${String(seed).padStart(4)} ${String(assets).padStart(6)} ${String(r.prognosed).padStart(9)} | ` +
          `${f(r.alphaLambda[0])} / ${f(r.alphaLambda[1])}${mark(r.met.alphaLambda)}/ ${f(r.alphaLambda[2])}      | ` +
          `${f(r.meanPh, 0).padStart(9)} | ${f(r.medianLead, 0).padStart(13)} | ${f(r.phOverLead)}${mark(r.met.horizon)}(${f(r.phCeiling)})  | ` +
          `${f(r.coverage === null ? null : 100 * r.coverage, 1).padStart(7)}%${mark(r.met.coverage)}| ${f(r.rmse, 0).padStart(6)} | ${f(r.seconds, 1)}`,
      );
    }
  console.log(`targets met on ${rows.filter(allMet).length} of ${rows.length} fleets`);
  console.log(
    '(exact): the horizon an exact RUL would reach from the same first predictions (the first needs a failed asset)',
  );
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
}

/** Each indicator's rise over the asset's own baseline (its first 20% of rows), signed to rise at failure. */
function rises(fleets: FleetTrajectory[][], channel: string): Float64Array[] {
  const units = fleets.flat().map((a) => {
    const col = a.columns[channel];
    const b = Math.max(5, Math.floor(0.2 * col.length));
    const m = col.subarray(0, b).reduce((s, v) => s + v, 0) / b;
    return Float64Array.from(col, (v) => v - m);
  });
  const up = units.reduce((s, u) => s + Math.sign(u[u.length - 1]), 0) >= 0 ? 1 : -1;
  return units.map((u) => u.map((v) => up * v));
}

function select(seeds: number[], assets: number, top: number): void {
  const fleets = seeds.map((seed) => generatedFleet(backtestFleetConfig({ assets, seed })));
  const channels = Object.keys(fleets[0][0].columns);
  const scores = channels
    .map((c) => scoreIndicator(c, rises(fleets, c)))
    .sort((x, y) => y.fitness - x.fitness);
  console.log(`indicator ranking on the design fleet (seeds ${seeds.join(',')}, ${assets} assets each)`);
  console.log(
    'indicator       fitness  mono  trend  progn | RUL on it alone: alpha-lambda 0.5 / PH/lead / coverage, fleets meeting all three',
  );
  const rulOn = (fleet: FleetTrajectory[], seed: number, channels: string[]): FleetRow => {
    const setup = fleetRulModel(fleet, seed);
    const r = backtest(fleet, {
      channels: FLEET_CHANNELS,
      leadTime: 2 * MS.d,
      rul: { ...setup, options: { ...setup.options, channels } },
    });
    return rowOf(r, seed, assets, 0);
  };
  const summary = (channels: string[]): string => {
    const rows = fleets.map((fleet, i) => rulOn(fleet, seeds[i], channels));
    const mean = (g: (r: FleetRow) => number | null) =>
      rows.reduce((acc, r) => acc + (g(r) ?? 0), 0) / rows.length;
    return `${mean((r) => r.alphaLambda[1]).toFixed(2)} / ${mean((r) => r.phOverLead).toFixed(2)} / ${(100 * mean((r) => r.coverage)).toFixed(0)}%, ${rows.filter(allMet).length} of ${rows.length}`;
  };
  for (const [k, s] of scores.entries())
    console.log(
      `${s.name.padEnd(14)} ${s.fitness.toFixed(2).padStart(7)} ${s.monotonicity.toFixed(2).padStart(5)} ${s.trendability.toFixed(2).padStart(6)} ${s.prognosability.toFixed(2).padStart(6)} |` +
        (k < top ? ` ${summary([s.name])}` : ''),
    );
  // forward selection: the fittest indicator fused with each of the next ones
  const best = scores[0].name;
  console.log(`\n${best} fused with each of the next ${top - 1} (fused index, same model):`);
  for (const s of scores.slice(1, top)) console.log(`${best}+${s.name}`.padEnd(30), summary([best, s.name]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--select'))
    select(list(arg('--seeds', '101-105')), Number(arg('--assets', '12')), Number(arg('--top', '8')));
  else
    table(
      list(arg('--seeds', '1-5')),
      list(arg('--assets', '12')),
      arg('--json', ''),
      process.argv.includes('--per-asset'),
    );
}
