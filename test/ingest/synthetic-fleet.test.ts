import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, validate } from '../../core/index.ts';
import {
  amplitudeSpectrum,
  defectFrequencies,
  envelope,
  FleetConfig,
  planFleet,
  scalarReading,
  synthesizeSnapshot,
  writeFleet,
  ZA2115,
  type AssetPlan,
  type FleetPlan,
} from '../../ingest/index.ts';

const config = (over: Record<string, unknown> = {}) =>
  validate(FleetConfig, { assets: 12, seed: 7, ...over }, 'test');

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else
        out[p] = createHash('sha256')
          .update(readFileSync(join(dir, p)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}

/** Envelope spectrum of a snapshot and the frequency of its strongest line above 5 Hz. */
function envelopePeakHz(
  plan: FleetPlan,
  a: AssetPlan,
  k: number,
): { peakHz: number; spec: Float64Array; df: number } {
  const x = synthesizeSnapshot(plan, a, k);
  const spec = amplitudeSpectrum(envelope(x));
  const df = plan.config.sampleRateHz / x.length;
  let peak = Math.ceil(5 / df);
  for (let i = peak; i < spec.length; i++) if (spec[i] > spec[peak]) peak = i;
  return { peakHz: peak * df, spec, df };
}

describe('bearing defect frequencies', () => {
  it('match the published values for the IMS rig (ZA-2115 at 2000 rpm, Qiu et al. 2006)', () => {
    const f = defectFrequencies(ZA2115, 2000 / 60);
    expect(f.bpfo).toBeCloseTo(236.4, 1);
    expect(f.bpfi).toBeCloseTo(296.9, 1);
    expect(f.bsf).toBeCloseTo(139.9, 1);
    expect(f.ftf).toBeCloseTo(14.8, 1);
  });
});

describe('synthetic fleet', () => {
  const plan = planFleet(config());

  it('gives every asset an onset before failure, snapshots up to failure, severity 0 -> ~1', () => {
    expect(plan.assets).toHaveLength(12);
    for (const a of plan.assets) {
      expect(a.onsetT).toBeLessThan(a.failureT);
      expect(a.times.at(-1)!).toBeLessThan(a.failureT);
      expect(a.severity[0]).toBe(0);
      const last = a.severity.at(-1)!;
      expect(last).toBeGreaterThan(0.5);
      expect(last).toBeLessThanOrEqual(1);
      for (let k = 1; k < a.severity.length; k++)
        expect(a.severity[k]).toBeGreaterThanOrEqual(a.severity[k - 1]);
    }
    expect(new Set(plan.assets.map((a) => a.faultMode)).size).toBe(3);
  });

  it('keeps asset i the same when the fleet grows (streams per asset)', () => {
    const bigger = planFleet(config({ assets: 20 }));
    expect(bigger.assets[3]).toEqual(plan.assets[3]);
  });

  it('puts the envelope-spectrum peak at BPFO for an outer-race asset near failure', () => {
    const a = plan.assets.find((x) => x.faultMode === 'outer')!;
    const { peakHz, df } = envelopePeakHz(plan, a, a.times.length - 1);
    // within two bins of the computed BPFO (slip spreads the line slightly)
    expect(Math.abs(peakHz - a.defects.bpfo)).toBeLessThanOrEqual(2 * df);
  });

  it('puts the envelope-spectrum peak at BPFI (inner race) and at a multiple of the cage rate for ball faults', () => {
    const inner = plan.assets.find((x) => x.faultMode === 'inner')!;
    const fi = envelopePeakHz(plan, inner, inner.times.length - 1);
    // inner-race impacts are modulated by the shaft: the line at BPFI or its shaft sidebands
    const candidates = [
      inner.defects.bpfi,
      inner.defects.bpfi - inner.shaftHz,
      inner.defects.bpfi + inner.shaftHz,
    ];
    expect(Math.min(...candidates.map((f) => Math.abs(fi.peakHz - f)))).toBeLessThanOrEqual(2 * fi.df);
    const ball = plan.assets.find((x) => x.faultMode === 'ball')!;
    const fb = envelopePeakHz(plan, ball, ball.times.length - 1);
    const bsfBin = Math.round(ball.defects.bsf / fb.df);
    const noiseFloor = fb.spec.slice(bsfBin + 20, bsfBin + 200).reduce((s, v) => s + v, 0) / 180;
    expect(Math.max(...fb.spec.slice(bsfBin - 2, bsfBin + 3))).toBeGreaterThan(5 * noiseFloor);
  });

  it('has no defect line while healthy', () => {
    const a = plan.assets.find((x) => x.faultMode === 'outer')!;
    const { spec, df } = envelopePeakHz(plan, a, 0);
    const bin = Math.round(a.defects.bpfo / df);
    const around = spec.slice(bin + 10, bin + 110).reduce((s, v) => s + v, 0) / 100;
    expect(Math.max(...spec.slice(bin - 2, bin + 3))).toBeLessThan(5 * around);
  });

  it('drifts temperature up and speed down with damage', () => {
    const a = plan.assets[0];
    const first = scalarReading(plan, a, 0);
    const last = scalarReading(plan, a, a.times.length - 1);
    expect(last.temperature - first.temperature).toBeGreaterThan(10);
    expect(last.speed).toBeLessThan(first.speed);
  });

  it('writes identical bytes for the same seed and different bytes for another', () => {
    const small = config({ assets: 3, snapshotSeconds: 0.1 });
    const [d1, d2, d3] = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'leadtime-fleet-')));
    writeFleet(small, d1);
    writeFleet(small, d2);
    writeFleet({ ...small, seed: 8 }, d3);
    const h1 = hashTree(d1);
    expect(Object.keys(h1).sort()).toEqual(
      [
        'assets.json',
        'fleet.json',
        'scalars.csv',
        'severity.csv',
        'truth.csv',
        'waveforms/index.csv',
        'waveforms/bearing-001.f32',
        'waveforms/bearing-002.f32',
        'waveforms/bearing-003.f32',
      ].sort(),
    );
    expect(hashTree(d2)).toEqual(h1);
    expect(hashTree(d3)['waveforms/bearing-001.f32']).not.toEqual(h1['waveforms/bearing-001.f32']);
    // float32 little-endian, snapshots back to back, as the index says
    const index = readFileSync(join(d1, 'waveforms/index.csv'), 'utf8').trim().split('\n');
    const rows = index.slice(1).filter((r) => r.startsWith('bearing-001,'));
    const bytes = readFileSync(join(d1, 'waveforms/bearing-001.f32'));
    expect(bytes.length).toBe(rows.length * 2560 * 4);
    const p = planFleet(small);
    expect(bytes.readFloatLE(4 * 100)).toBe(synthesizeSnapshot(p, p.assets[0], 0)[100]);
  });
});

describe('fleet config', () => {
  it('data/fleet.example.yaml states exactly the defaults', () => {
    const example = loadConfigFile(join(import.meta.dirname, '../../data/fleet.example.yaml'), FleetConfig);
    expect(example).toEqual(validate(FleetConfig, {}, 'defaults'));
  });

  it('names the bad field', () => {
    expect(() =>
      validate(FleetConfig, { assets: 0, faultModes: { outer: 1, rust: 2 } }, 'fleet.yaml'),
    ).toThrow(
      /fleet\.yaml: invalid configuration[\s\S]*assets: expected a number >= 1, got 0[\s\S]*faultModes\.rust: expected no such field/,
    );
  });
});
