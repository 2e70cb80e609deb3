import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CmapssReader, ingest, DuckDbTelemetryStore } from '../../ingest/index.ts';
import {
  CalibratedModel,
  CMAPSS_SENSORS,
  CMAPSS_SETTINGS,
  crossValidate,
  HealthIndicator,
  ModelRegistry,
  readCmapss,
  RUL_FAMILIES,
  scoreIndicator,
  trajectoriesFromStore,
  truncateAtRandom,
  type Trajectory,
} from '../../models/index.ts';

const TRAIN = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');
const options = { settings: CMAPSS_SETTINGS, channels: CMAPSS_SENSORS, seed: 1 };
let trajs: Trajectory[];

beforeAll(async () => {
  const data = await readCmapss(TRAIN, true);
  expect(data.rejected).toEqual([]);
  trajs = data.trajectories;
});

describe('C-MAPSS FD001 through the model layer', () => {
  it('reads 100 run-to-failure engines, 20,631 rows, failure at the last cycle', () => {
    expect(trajs).toHaveLength(100);
    expect(trajs.reduce((s, t) => s + t.t.length, 0)).toBe(20_631);
    expect(trajs[0].failureT).toBe(trajs[0].t.at(-1));
  });

  it('fuses a health indicator that beats its best single sensor on prognostic fitness', () => {
    const hi = HealthIndicator.fit(trajs, options);
    expect(hi.state.normalizer.centroids).toHaveLength(1); // FD001: one operating condition
    // the constant sensors of FD001 never make it in
    for (const s of ['s1', 's5', 's10', 's16', 's18', 's19']) expect(hi.state.selected).not.toContain(s);
    const fused = scoreIndicator(
      'HI',
      trajs.map((t) => hi.transform(t)),
    );
    expect(fused.fitness).toBeGreaterThan(hi.state.scores[0].fitness);
    // 1 while healthy, near 0 at failure
    const his = trajs.map((t) => hi.transform(t));
    const start = his.reduce((s, h) => s + h[10], 0) / his.length;
    const end = his.reduce((s, h) => s + h[h.length - 1], 0) / his.length;
    expect(start).toBeGreaterThan(0.85);
    expect(end).toBeLessThan(0.15);
  });

  it('similarity model: engine-wise 5-fold CV RMSE within the published classical range, calibrated coverage', async () => {
    const r = await crossValidate(RUL_FAMILIES.similarity, trajs, 5, options, { seed: 1 });
    expect(r.n).toBe(100);
    // published similarity/degradation methods: 16-20 on the official test set
    expect(r.rmse).toBeLessThan(20);
    expect(r.coverage).toBeGreaterThan(0.8);
    expect(r.coverage).toBeLessThan(0.98);
  });

  it('truncates held-out engines like the official test set: history >= 31 rows, 1 <= RUL <= 150', () => {
    const cases = truncateAtRandom(trajs, { seed: 4, cutsPerUnit: 3 });
    for (const c of cases) {
      expect(c.history.t.length).toBeGreaterThanOrEqual(31);
      expect(c.truth).toBeGreaterThanOrEqual(1);
      expect(c.truth).toBeLessThanOrEqual(150);
    }
    expect(new Set(cases.map((c) => c.truth)).size).toBeGreaterThan(100);
  });

  // the neural families have their own save/load test on small data (neural.test.ts)
  it.each(Object.keys(RUL_FAMILIES).filter((f) => RUL_FAMILIES[f].fit))(
    '%s: a model saved to the registry reloads to identical predictions',
    (family) => {
      const train = trajs.slice(0, 60);
      // what is checked is the round trip, not accuracy (gbt.test.ts has that): 30 boosting rounds
      // instead of the default 300, which cost gbt-window ~10x the rest of this file
      const fitOptions = family === 'gbt-window' ? { ...options, rounds: 30 } : options;
      const model = CalibratedModel.fit(RUL_FAMILIES[family], train, fitOptions, { calibrationFolds: 2 });
      const registry = new ModelRegistry(mkdtempSync(join(tmpdir(), 'lt-reg-')));
      const manifest = registry.save('m', model, {
        parameters: options,
        features: { channels: CMAPSS_SENSORS, settings: CMAPSS_SETTINGS },
        trainingData: { source: 'test', assets: 60, rows: 0, fingerprint: 'x' },
      });
      expect(manifest.version).toBe(1);
      expect(
        registry.save('m', model, {
          parameters: options,
          features: { channels: [], settings: [] },
          trainingData: { source: 'test', assets: 60, rows: 0, fingerprint: 'x' },
        }).version,
      ).toBe(2);
      const { model: loaded } = registry.load('m@1');
      for (const c of truncateAtRandom(trajs.slice(80), { seed: 2 })) {
        const a = model.predict(c.history),
          b = loaded.predict(c.history);
        expect(b).toEqual(a);
        expect(a.lower).toBeLessThanOrEqual(a.rul);
        expect(a.upper).toBeGreaterThanOrEqual(a.rul);
      }
    },
  );
});

describe('leadtime evaluate cmapss', () => {
  it('scores a held-out test split given as files and writes the protocol JSON', () => {
    // engines 81-100 become a test set: truncated at random, true RULs in a separate file
    const dir = mkdtempSync(join(tmpdir(), 'lt-eval-'));
    const cases = truncateAtRandom(trajs.slice(80), { seed: 3 });
    const row = (tr: Trajectory, i: number, unit: number) =>
      [
        unit,
        tr.t[i],
        ...CMAPSS_SETTINGS.map((c) => tr.columns[c][i]),
        ...CMAPSS_SENSORS.map((c) => tr.columns[c][i]),
      ].join(' ');
    const trainLines = trajs.slice(0, 80).flatMap((tr, u) => Array.from(tr.t, (_, i) => row(tr, i, u + 1)));
    const testLines = cases.flatMap((c, u) => Array.from(c.history.t, (_, i) => row(c.history, i, u + 1)));
    writeFileSync(join(dir, 'train.txt'), trainLines.join('\n') + '\n');
    writeFileSync(join(dir, 'test.txt'), testLines.join(' \n') + ' \n'); // trailing blanks, as the NASA files
    writeFileSync(join(dir, 'rul.txt'), cases.map((c) => c.truth).join('\n') + '\n');
    const out = join(dir, 'report.json');
    const args = [
      join(import.meta.dirname, '../../bin/leadtime.js'),
      'evaluate',
      'cmapss',
      '--train',
      join(dir, 'train.txt'),
      '--test',
      join(dir, 'test.txt'),
      '--truth',
      join(dir, 'rul.txt'),
      '--json',
      out,
    ];
    const r = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, LEADTIME_HOME: dir },
    });
    // no CV leaderboard in this fresh home: the default family, and it says so
    expect(r.stderr).toBe('leadtime: using similarity (no CV results yet)\n');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.n).toBe(20);
    expect(report.model).toBe('similarity');
    expect(report.selection).toEqual({ family: 'similarity', reason: 'no CV results yet', from: 'default' });
    for (const k of [
      'rmseRawTruth',
      'rmseCappedTruth',
      'phm08ScoreRawTruth',
      'coverageRawTruth',
      'trainSeconds',
    ])
      expect(typeof report[k]).toBe('number');
    expect(report.predictions[0]).toEqual(expect.objectContaining({ unit: '001', truth: cases[0].truth }));
    expect(report.rmseRawTruth).toBeLessThan(30);
    // both RMSEs and both PHM08 scores, recomputed from the per-engine rows
    type Row = { rul: number; truth: number };
    const rows: Row[] = report.predictions;
    const rmseOf = (f: (p: Row) => number) =>
      Math.sqrt(rows.reduce((s, p) => s + (p.rul - f(p)) ** 2, 0) / rows.length);
    const scoreOf = (f: (p: Row) => number) =>
      rows.reduce((s, p) => {
        const d = p.rul - f(p);
        return s + (d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1);
      }, 0);
    expect(report.cap).toBe(125);
    expect(report.rmseRawTruth).toBeCloseTo(
      rmseOf((p) => p.truth),
      9,
    );
    expect(report.rmseCappedTruth).toBeCloseTo(
      rmseOf((p) => Math.min(125, p.truth)),
      9,
    );
    expect(report.phm08ScoreRawTruth).toBeCloseTo(
      scoreOf((p) => p.truth),
      9,
    );
    expect(report.phm08ScoreCappedTruth).toBeCloseTo(
      scoreOf((p) => Math.min(125, p.truth)),
      9,
    );
    // with CV results (a board of the layout before fingerprints), the best family on a file of
    // this name wins over a better one on another file
    mkdirSync(join(dir, 'models'), { recursive: true });
    const entry = (rmse: number) => ({ rmse, score: 0, coverage: 0.9, n: 100, folds: 5, at: '' });
    writeFileSync(
      join(dir, 'models', 'cv-leaderboard.json'),
      JSON.stringify({
        'train.txt': { similarity: entry(20), weibull: entry(15) },
        'other.txt': { 'linear-degradation': entry(5) },
      }),
    );
    const again = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, LEADTIME_HOME: dir },
    });
    expect(again.stderr).toBe(
      'leadtime: using weibull (lowest 5-fold CV RMSE of 2 result(s) on a file named train.txt in this home: 15.00 vs raw truth)\n',
    );
    expect(JSON.parse(readFileSync(out, 'utf8')).model).toBe('weibull');
  });
});

describe('stored assets as model trajectories', () => {
  it('C-MAPSS ingested into the store reads back as the same trajectories the file reader gives', async () => {
    const sensors = CMAPSS_SENSORS,
      settings = CMAPSS_SETTINGS;
    const dir = mkdtempSync(join(tmpdir(), 'lt-store-'));
    const lines = readFileSync(TRAIN, 'utf8').split('\n');
    const three = lines.filter((l) => /^\s*[123]\s/.test(l));
    writeFileSync(join(dir, 'three.txt'), three.join('\n') + '\n');
    const store = await DuckDbTelemetryStore.open(join(dir, 'telemetry.duckdb'));
    try {
      const summary = await ingest(new CmapssReader(join(dir, 'three.txt'), { assetPrefix: '' }), store, {});
      expect(summary.rejected).toBe(0);
      const stored = await trajectoriesFromStore(store, [...settings, ...sensors]);
      expect(stored.map((t) => t.asset)).toEqual(['001', '002', '003']);
      for (const tr of stored) {
        const file = trajs.find((x) => x.asset === tr.asset)!;
        expect(Array.from(tr.t)).toEqual(Array.from(file.t));
        for (const c of [...settings, ...sensors])
          expect(Array.from(tr.columns[c])).toEqual(Array.from(file.columns[c]));
      }
      // a channel no asset has: no trajectory, rather than a column of NaN
      expect(await trajectoriesFromStore(store, ['s1', 'no-such-channel'])).toEqual([]);
    } finally {
      store.close();
    }
  });
});
