/**
 * Bearing RUL on the synthetic fleet against issue 15's targets, over several seeds and fleet sizes:
 * the walk-forward backtest `leadtime backtest --seed S --assets N` runs (app/fleet-backtest.ts, the
 * fleet's RUL model `fleetRulModel`), one row per fleet.
 *
 *   npx tsx bench/bearing-rul.ts [--seeds 1-5] [--assets 12[,20]] [--json FILE]
 *
 * Targets (walk-forward, every asset): alpha-lambda accuracy (alpha 0.2) at lambda 0.5 >= 0.7; mean
 * prognostic horizon >= half the median alert lead time; 90% intervals covering the truth 80-97% of
 * the time after the first predicting time.
 */
import { writeFileSync } from 'node:fs';
import { MS } from '../core/index.ts';
import { backtestFleet, backtestFleetConfig, generatedFleet } from '../app/fleet-backtest.ts';

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
  coverage: number | null;
  rmse: number | null;
  seconds: number;
  met: { alphaLambda: boolean; horizon: boolean; coverage: boolean };
}

export function measure(seed: number, assets: number): FleetRow {
  const config = backtestFleetConfig({ assets, seed });
  const fleet = generatedFleet(config);
  const t0 = performance.now();
  const r = backtestFleet(fleet, seed, 2 * MS.d);
  const seconds = (performance.now() - t0) / 1000;
  const al = r.alphaLambdaAccuracy.map((a) => a.fraction);
  const ph = r.meanPrognosticHorizon === null ? null : r.meanPrognosticHorizon / MS.h;
  const lead = r.leadTimes ? r.leadTimes.median / MS.h : null;
  const phOverLead = ph !== null && lead ? ph / lead : null;
  const cov = r.intervalCoverage;
  return {
    seed,
    assets,
    prognosed: r.prognosedAssets,
    alphaLambda: al,
    meanPh: ph,
    medianLead: lead,
    phOverLead,
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

const f = (v: number | null, d = 2) => (v === null ? '-' : v.toFixed(d));
const mark = (ok: boolean) => (ok ? ' ' : '*');

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = list(arg('--seeds', '1-5'));
  const sizes = list(arg('--assets', '12'));
  const json = arg('--json', '');
  const rows: FleetRow[] = [];
  console.log('bearing RUL, walk-forward (`leadtime backtest --seed S --assets N`); * = target not met');
  console.log(
    'seed assets prognosed | alpha-lambda 0.25/0.5/0.75 | mean PH h | median lead h | PH/lead | coverage | RMSE h | s',
  );
  for (const assets of sizes)
    for (const seed of seeds) {
      const r = measure(seed, assets);
      rows.push(r);
      console.log(
        `${String(seed).padStart(4)} ${String(assets).padStart(6)} ${String(r.prognosed).padStart(9)} | ` +
          `${f(r.alphaLambda[0])} / ${f(r.alphaLambda[1])}${mark(r.met.alphaLambda)}/ ${f(r.alphaLambda[2])}      | ` +
          `${f(r.meanPh, 0).padStart(9)} | ${f(r.medianLead, 0).padStart(13)} | ${f(r.phOverLead)}${mark(r.met.horizon)}   | ` +
          `${f(r.coverage === null ? null : 100 * r.coverage, 1).padStart(7)}%${mark(r.met.coverage)}| ${f(r.rmse, 0).padStart(6)} | ${f(r.seconds, 1)}`,
      );
    }
  const all = rows.filter((r) => r.met.alphaLambda && r.met.horizon && r.met.coverage).length;
  console.log(`targets met on ${all} of ${rows.length} fleets`);
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
}
