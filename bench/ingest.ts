/**
 * Ingest benchmarks, printed as ratios (never asserted in tests):
 *   features  samples/s of `leadtime features` against numpy_features.py on the same file, same run
 *   C-MAPSS   rows/s into the store against DuckDB's own read_csv of the same file into a table
 *   MQTT      sustained samples/s from a loopback publisher to rows stored, with zero loss
 * Run alone: npx tsx bench/ingest.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import mqtt from 'mqtt';
import {
  CmapssReader,
  MqttReader,
  RatePublisher,
  DuckDbTelemetryStore,
  computeFeaturesFile,
  ingest,
} from '../ingest/index.ts';
import { startTestBroker } from './ingest-broker.lib.ts';

const root = resolve(import.meta.dirname, '..');
const numpyScript = resolve(root, '../shared/bench/numpy_features.py');
const cmapssFile = resolve(root, '../shared/data/cmapss/train_FD001.txt');
const python = '/usr/bin/python3';

export interface IngestBenchResult {
  features?: {
    snapshots: number;
    length: number;
    oursSamplesPerSec: number;
    numpySamplesPerSec: number;
    ratio: number;
    numpy: string;
  };
  cmapss: { rows: number; oursRowsPerSec: number; duckdbReadCsvRowsPerSec: number; ratio: number };
  mqtt: {
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

async function benchFeatures(dir: string): Promise<IngestBenchResult['features']> {
  const wave = join(dir, 'wave.f32');
  const length = 32768,
    rate = 25600,
    snapshots = 200,
    defects = '87.3,130.1,34.6,9.4';
  execFileSync(python, [
    numpyScript,
    'make',
    '--out',
    wave,
    '--snapshots',
    String(snapshots),
    '--length',
    String(length),
    '--seed',
    '1',
  ]);
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
    {
      encoding: 'utf8',
    },
  );
  const numpy = JSON.parse(ref.stderr.trim().split('\n').pop()!) as { samples_per_s: number; engine: string };
  // one warm-up pass (JIT), then the measured pass over the whole file including reading and writing
  computeFeaturesFile({
    input: wave,
    output: join(dir, 'ours.csv'),
    length,
    rateHz: rate,
    defectsHz: defects.split(',').map(Number),
  });
  const ours = computeFeaturesFile({
    input: wave,
    output: join(dir, 'ours.csv'),
    length,
    rateHz: rate,
    defectsHz: defects.split(',').map(Number),
  });
  return {
    snapshots,
    length,
    oursSamplesPerSec: ours.samplesPerSecond,
    numpySamplesPerSec: numpy.samples_per_s,
    ratio: ours.samplesPerSecond / numpy.samples_per_s,
    numpy: numpy.engine,
  };
}

async function benchCmapss(dir: string): Promise<IngestBenchResult['cmapss']> {
  const store = await DuckDbTelemetryStore.open(join(dir, 'cmapss.duckdb'));
  const s = await ingest(new CmapssReader(cmapssFile), store);
  store.close();
  const inst = await DuckDBInstance.create(join(dir, 'readcsv.duckdb'));
  const db = await inst.connect();
  const t0 = performance.now();
  await db.run(
    `CREATE TABLE cmapss AS SELECT * FROM read_csv('${cmapssFile.replace(/'/g, "''")}', delim = ' ', header = false, null_padding = true)`,
  );
  const seconds = (performance.now() - t0) / 1000;
  const rows = Number((await db.runAndReadAll('SELECT count(*) FROM cmapss')).getRows()[0][0]);
  db.closeSync();
  inst.closeSync();
  const ours = s.records / s.seconds;
  const duck = rows / seconds;
  return {
    rows: s.records,
    oursRowsPerSec: Math.round(ours),
    duckdbReadCsvRowsPerSec: Math.round(duck),
    ratio: ours / duck,
  };
}

async function benchMqtt(dir: string): Promise<IngestBenchResult['mqtt']> {
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

export async function benchIngest(): Promise<IngestBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtime-bench-ingest-'));
  const skipped: string[] = [];
  try {
    const why = numpyAvailable();
    let features: IngestBenchResult['features'];
    if (why) skipped.push(`features vs numpy: ${why}`);
    else features = await benchFeatures(dir);
    const cmapss = await benchCmapss(dir);
    const mqtt = await benchMqtt(dir);
    const result: IngestBenchResult = { features, cmapss, mqtt, skipped };
    const M = (v: number): string => `${(v / 1e6).toFixed(2)} M`;
    const lines = ['ingest benchmarks'];
    if (features) {
      lines.push(
        `  features   ${M(features.oursSamplesPerSec)} samples/s vs ${features.numpy} ${M(features.numpySamplesPerSec)} samples/s: ${features.ratio.toFixed(2)}x (${features.snapshots} x ${features.length}, 4 defect frequencies)`,
      );
    }
    lines.push(
      `  C-MAPSS    ${cmapss.oursRowsPerSec} rows/s into the store vs DuckDB read_csv ${cmapss.duckdbReadCsvRowsPerSec} rows/s: ${cmapss.ratio.toFixed(3)}x (${cmapss.rows} rows, 24 samples each, validated and keyed)`,
      `  MQTT       ${mqtt.samplesPerSec} samples/s (${mqtt.messagesPerSec} messages/s of ${mqtt.samples / mqtt.messages} samples) stored, ${mqtt.lost} lost, ${mqtt.rejected} rejected (${mqtt.broker}, QoS 1)`,
    );
    for (const s of skipped) lines.push(`  skipped: ${s}`);
    console.log(lines.join('\n'));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await benchIngest();
}
