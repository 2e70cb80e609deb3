/**
 * Ingest benchmarks, printed as ratios (never asserted in tests):
 *   features  samples/s of `leadtime features` against numpy_features.py on the same file, same run,
 *             at every snapshot length in FEATURE_LENGTHS (best of 3 on each side)
 *   C-MAPSS   rows/s into the store against DuckDB's own read_csv of the same file: headline against
 *   wide CSV  read_csv + UNPIVOT into the store's long samples table (the same shape), also against
 *             read_csv into a wide table of the file's shape; wall and CPU (ingest-files.lib.ts)
 *   MQTT      sustained samples/s from a loopback publisher to rows stored, with zero loss
 * Run alone: npx tsx bench/ingest.ts [features] [cmapss] [csv] [mqtt]
 * (LEADTIME_BENCH_BATCH=N: our side's batch size; LEADTIME_BENCH_PG=off or a postgres:// URL)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import mqtt from 'mqtt';
import {
  MqttReader,
  RatePublisher,
  DuckDbTelemetryStore,
  computeFeaturesFile,
  ingest,
} from '../ingest/index.ts';
import { startTestBroker } from './ingest-broker.lib.ts';
import {
  benchBatchSize,
  benchCmapssIngest,
  benchWideCsvIngest,
  type FileIngestBench,
} from './ingest-files.lib.ts';

const root = resolve(import.meta.dirname, '..');
const numpyScript = resolve(root, '../shared/bench/numpy_features.py');
const cmapssFile = resolve(root, '../shared/data/cmapss/train_FD001.txt');
const python = '/usr/bin/python3';

export interface FeatureBench {
  snapshots: number;
  length: number;
  oursSamplesPerSec: number;
  numpySamplesPerSec: number;
  ratio: number;
  numpy: string;
}

export interface IngestBenchResult {
  features?: FeatureBench[];
  cmapss?: FileIngestBench;
  wideCsv?: FileIngestBench;
  mqtt?: {
    broker: string;
    messages: number;
    samples: number;
    stored: number;
    rejected: number;
    lost: number;
    samplesPerSec: number;
    messagesPerSec: number;
  };
  skipped: string[];
}

function numpyAvailable(): string | undefined {
  if (!existsSync(numpyScript)) return `${numpyScript} not found`;
  const r = spawnSync(python, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
  return r.status === 0 ? undefined : `${python} with numpy and scipy not available`;
}

/** Snapshot lengths measured: powers of two, IMS (20,480 = 2^12 5), 1 s at 25.6 kHz, decimal lengths. */
export const FEATURE_LENGTHS = [32768, 20480, 25600, 10000, 20000, 51200];

function rateFor(length: number): number {
  return length === 20480 ? 20000 : length === 10000 || length === 20000 ? 10000 : 25600;
}

async function benchFeaturesAt(dir: string, length: number): Promise<FeatureBench> {
  const wave = join(dir, `wave${length}.f32`);
  const rate = rateFor(length),
    defects = '87.3,130.1,34.6,9.4';
  // about 4 M samples per length, so every row takes a similar time
  const snapshots = Math.max(20, Math.round(4_000_000 / length));
  execFileSync(python, [
    numpyScript,
    'make',
    '--out',
    wave,
    '--snapshots',
    String(snapshots),
    '--length',
    String(length),
    '--rate',
    String(rate),
    '--seed',
    '1',
  ]);
  // best of 3 on both sides: the machine is shared, and the best run is the least disturbed one
  let numpyBest = 0,
    engine = '';
  for (let r = 0; r < 3; r++) {
    const ref = spawnSync(
      python,
      [
        numpyScript,
        'features',
        '--in',
        wave,
        '--length',
        String(length),
        '--rate',
        String(rate),
        '--defects',
        defects,
        '--out',
        join(dir, 'ref.csv'),
      ],
      { encoding: 'utf8' },
    );
    const numpy = JSON.parse(ref.stderr.trim().split('\n').pop()!) as {
      samples_per_s: number;
      engine: string;
    };
    numpyBest = Math.max(numpyBest, numpy.samples_per_s);
    engine = numpy.engine;
  }
  // one warm-up pass (JIT), then the measured passes over the whole file including reading and writing
  let oursBest = 0;
  for (let r = 0; r < 4; r++) {
    const ours = computeFeaturesFile({
      input: wave,
      output: join(dir, 'ours.csv'),
      length,
      rateHz: rate,
      defectsHz: defects.split(',').map(Number),
    });
    if (r > 0) oursBest = Math.max(oursBest, ours.samplesPerSecond);
  }
  rmSync(wave, { force: true });
  return {
    snapshots,
    length,
    oursSamplesPerSec: oursBest,
    numpySamplesPerSec: numpyBest,
    ratio: oursBest / numpyBest,
    numpy: engine,
  };
}

async function benchMqtt(dir: string): Promise<NonNullable<IngestBenchResult['mqtt']>> {
  const broker = await startTestBroker();
  const id = `leadtime-bench-${process.pid}-${Date.now().toString(36)}`;
  const store = await DuckDbTelemetryStore.open(join(dir, 'mqtt.duckdb'));
  const messages = 20_000,
    perMessage = 10;
  let subscribed!: () => void;
  const ready = new Promise<void>((r) => (subscribed = r));
  const reader = new MqttReader({
    url: broker.url,
    topics: [`${id}/+/telemetry`],
    clientId: id,
    idleMs: 1000,
    onSubscribed: () => subscribed(),
  });
  let lastCommit = 0;
  const run = ingest(reader, store, { maxBatchAgeMs: 50, onCommit: () => (lastCommit = performance.now()) });
  await ready;
  const pub = await RatePublisher.connect({ url: broker.url, window: 2000 });
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) {
    const values: Record<string, number> = {};
    for (let c = 0; c < perMessage; c++) values[`c${c}`] = i + c / 10;
    await pub.publish(
      `${id}/a${i % 20}/telemetry`,
      JSON.stringify({ asset: `a${i % 20}`, t: 1_767_225_600_000 + i, values }),
    );
  }
  await pub.close();
  const s = await run;
  store.close();
  // drop the bench's persistent session
  const clean = await mqtt
    .connectAsync(broker.url, { clientId: id, clean: true, protocolVersion: 4 })
    .catch(() => undefined);
  await clean?.endAsync();
  await broker.close();
  const seconds = (lastCommit - t0) / 1000;
  const samples = messages * perMessage;
  return {
    broker: `${broker.kind} ${broker.url}`,
    messages,
    samples,
    stored: s.stored,
    rejected: s.rejected,
    lost: samples - s.stored - s.duplicates - s.rejected,
    samplesPerSec: Math.round(s.stored / seconds),
    messagesPerSec: Math.round(messages / seconds),
  };
}

const PARTS = ['features', 'cmapss', 'csv', 'mqtt'] as const;
type Part = (typeof PARTS)[number];

/** Runs the named parts (all by default), printing each line as it is measured. */
export async function benchIngest(parts: readonly Part[] = PARTS): Promise<IngestBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtime-bench-ingest-'));
  const skipped: string[] = [];
  const M = (v: number): string => `${(v / 1e6).toFixed(2)} M`;
  try {
    console.log('ingest benchmarks');
    let features: IngestBenchResult['features'];
    if (parts.includes('features')) {
      const why = numpyAvailable();
      if (why) skipped.push(`features vs numpy: ${why}`);
      else {
        features = [];
        for (const length of FEATURE_LENGTHS) {
          const f = await benchFeaturesAt(dir, length);
          features.push(f);
          console.log(
            `  features   n=${String(f.length).padEnd(6)} ${M(f.oursSamplesPerSec)} samples/s vs ${f.numpy} ${M(f.numpySamplesPerSec)} samples/s: ${f.ratio.toFixed(2)}x (${f.snapshots} snapshots, 4 defect frequencies, best of 3)`,
          );
        }
      }
    }
    const secs = (t: { seconds: number; cpuSeconds: number }): string =>
      `${t.seconds.toFixed(3)} s wall, ${t.cpuSeconds.toFixed(3)} s CPU`;
    const fileLine = (f: FileIngestBench): string =>
      [
        `  ${f.name} (${f.rows} rows, ${f.samples} samples; ingest batch ${benchBatchSize() ?? 'default'}; best of 5 rounds taken in turn, by wall time; CPU = user + system of that run, all threads):`,
        `    ours: ingest() into the store's long samples table, every cell validated and keyed: ${f.oursRowsPerSec} rows/s (${Math.round((f.oursRowsPerSec * f.samples) / f.rows)} samples/s), ${secs(f.ours)}`,
        `    same shape (headline): DuckDB read_csv + UNPIVOT into the same samples table: ${f.longRowsPerSec} rows/s, ${secs(f.long)}: ours ${f.ratioLong.toFixed(2)}x (CPU ${(f.long.cpuSeconds / f.ours.cpuSeconds).toFixed(2)}x)`,
        `    file's shape: DuckDB read_csv into a wide table, one row per line: ${f.wideRowsPerSec} rows/s, ${secs(f.wide)}: ours ${f.ratioWide.toFixed(2)}x (CPU ${(f.wide.cpuSeconds / f.ours.cpuSeconds).toFixed(2)}x)`,
        f.pg === undefined
          ? []
          : 'skipped' in f.pg
            ? [`    PostgreSQL: skipped (${f.pg.skipped})`]
            : [
                `    PostgreSQL, ours into the shared store (best of 2, CPU with the database's backends): ${Math.round(f.pg.rows / f.pg.ours.seconds)} rows/s, ${secs(f.pg.ours)}`,
                `    PostgreSQL same shape (headline): COPY into a wide table + one INSERT into the same samples table: ${Math.round(f.pg.rows / f.pg.reference.seconds)} rows/s, ${secs(f.pg.reference)}: ours ${f.pg.ratio.toFixed(2)}x (CPU ${(f.pg.reference.cpuSeconds / f.pg.ours.cpuSeconds).toFixed(2)}x)`,
              ],
      ]
        .flat()
        .join('\n');
    let cmapss: FileIngestBench | undefined;
    if (parts.includes('cmapss')) {
      cmapss = await benchCmapssIngest(cmapssFile, dir);
      console.log(fileLine(cmapss));
    }
    let wideCsv: FileIngestBench | undefined;
    if (parts.includes('csv')) {
      wideCsv = await benchWideCsvIngest(dir);
      console.log(fileLine(wideCsv));
    }
    let mqtt: IngestBenchResult['mqtt'] | undefined;
    if (parts.includes('mqtt')) {
      mqtt = await benchMqtt(dir);
      console.log(
        `  MQTT       ${mqtt.samplesPerSec} samples/s (${mqtt.messagesPerSec} messages/s of ${mqtt.samples / mqtt.messages} samples) stored, ${mqtt.lost} lost, ${mqtt.rejected} rejected (${mqtt.broker}, QoS 1)`,
      );
    }
    for (const s of skipped) console.log(`  skipped: ${s}`);
    return { features, cmapss, wideCsv, mqtt, skipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // `npx tsx bench/ingest.ts [features] [cmapss] [csv] [mqtt]`: only those parts
  const asked = process.argv.slice(2).filter((a): a is Part => (PARTS as readonly string[]).includes(a));
  await benchIngest(asked.length ? asked : PARTS);
}
