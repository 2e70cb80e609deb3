/**
 * Writes a synthetic fleet to a directory, in formats the ingest readers take:
 *   waveforms/<asset>.f32   raw little-endian float32 snapshots, back to back
 *   waveforms/index.csv     asset, channel, snapshot, t (epoch ms), time, file, offset, length, sampleRateHz
 *   scalars.csv             wide: asset, t, temperature, load, speed
 *   assets.json             machine context per asset (shaft speed, bearing geometry, defect frequencies)
 *   truth.csv               asset, faultMode, onsetT, failureT, onset, failure, shaftHz, faultHz
 *   severity.csv            ground-truth defect severity per snapshot (0 healthy, 1 failure)
 *   fleet.json              the resolved config and counts
 * Output bytes depend only on the config (seed included), never on the clock.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion } from '../../core/index.ts';
import type { FleetConfig } from './config.ts';
import { planFleet, scalarReading, synthesizeSnapshot, type FleetPlan } from './fleet.ts';

export interface FleetSummary {
  out: string;
  assets: number;
  snapshots: number;
  snapshotLength: number;
  sampleRateHz: number;
  bytes: number;
  files: string[];
}

const iso = (t: number): string => new Date(Math.round(t)).toISOString();
const num = (v: number, digits = 6): string => String(+v.toFixed(digits));
const csv = (rows: (string | number)[][]): string => rows.map((r) => r.join(',')).join('\n') + '\n';

function toLittleEndian(x: Float32Array): Buffer {
  const buf = Buffer.alloc(x.length * 4);
  for (let i = 0; i < x.length; i++) buf.writeFloatLE(x[i], i * 4);
  return buf;
}

export function writeFleet(
  config: FleetConfig,
  out: string,
  onSnapshot: (done: number, total: number) => void = () => {},
): FleetSummary {
  const plan: FleetPlan = planFleet(config);
  const total = plan.assets.reduce((s, a) => s + a.times.length, 0);
  mkdirSync(join(out, 'waveforms'), { recursive: true });
  const index: (string | number)[][] = [
    ['asset', 'channel', 'snapshot', 't', 'time', 'file', 'offset', 'length', 'sampleRateHz'],
  ];
  const scalars: (string | number)[][] = [['asset', 't', 'temperature', 'load', 'speed']];
  const severity: (string | number)[][] = [['asset', 't', 'severity']];
  let done = 0;
  let bytes = 0;
  for (const a of plan.assets) {
    const file = `waveforms/${a.asset}.f32`;
    const fd = openSync(join(out, file), 'w');
    try {
      for (let k = 0; k < a.times.length; k++) {
        const buf = toLittleEndian(synthesizeSnapshot(plan, a, k));
        writeSync(fd, buf);
        index.push([
          a.asset,
          'vib',
          k,
          a.times[k],
          iso(a.times[k]),
          file,
          k * buf.length,
          plan.snapshotLength,
          config.sampleRateHz,
        ]);
        const s = scalarReading(plan, a, k);
        scalars.push([a.asset, a.times[k], num(s.temperature, 4), num(s.load, 4), num(s.speed, 3)]);
        severity.push([a.asset, a.times[k], num(a.severity[k])]);
        bytes += buf.length;
        onSnapshot(++done, total);
      }
    } finally {
      closeSync(fd);
    }
  }
  const truth = [
    ['asset', 'faultMode', 'onsetT', 'failureT', 'onset', 'failure', 'shaftHz', 'faultHz'],
  ].concat(
    plan.assets.map((a) => [
      a.asset,
      a.faultMode,
      String(Math.round(a.onsetT)),
      String(Math.round(a.failureT)),
      iso(a.onsetT),
      iso(a.failureT),
      num(a.shaftHz),
      num(a.faultHz),
    ]),
  );
  const assets = plan.assets.map((a) => ({
    asset: a.asset,
    channels: {
      vib: { kind: 'waveform', unit: 'g', sampleRateHz: config.sampleRateHz },
      temperature: { unit: 'C' },
      load: { unit: 'kN' },
      speed: { unit: 'rpm' },
    },
    shaftHz: +a.shaftHz.toFixed(6),
    bearing: config.bearing,
    defectFrequenciesHz: Object.fromEntries(Object.entries(a.defects).map(([k, v]) => [k, +v.toFixed(6)])),
  }));
  const files = [
    'fleet.json',
    'assets.json',
    'truth.csv',
    'severity.csv',
    'scalars.csv',
    'waveforms/index.csv',
    ...plan.assets.map((a) => `waveforms/${a.asset}.f32`),
  ];
  writeFileSync(join(out, 'waveforms/index.csv'), csv(index));
  writeFileSync(join(out, 'scalars.csv'), csv(scalars));
  writeFileSync(join(out, 'severity.csv'), csv(severity));
  writeFileSync(join(out, 'truth.csv'), csv(truth));
  writeFileSync(join(out, 'assets.json'), JSON.stringify(assets, null, 2) + '\n');
  const summary: FleetSummary = {
    out,
    assets: plan.assets.length,
    snapshots: total,
    snapshotLength: plan.snapshotLength,
    sampleRateHz: config.sampleRateHz,
    bytes,
    files,
  };
  writeFileSync(
    join(out, 'fleet.json'),
    JSON.stringify(
      {
        generator: 'leadtime synthetic fleet',
        version: packageVersion,
        config,
        assets: summary.assets,
        snapshots: total,
        snapshotLength: plan.snapshotLength,
      },
      null,
      2,
    ) + '\n',
  );
  return summary;
}
