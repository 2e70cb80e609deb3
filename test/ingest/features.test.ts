import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ComplexFft,
  FeatureExtractor,
  RealFft,
  computeFeaturesFile,
  featureColumns,
  numberedDefects,
} from '../../ingest/index.ts';
import { needsReference, numpyReference, readCsvColumns, runCli, tempDir } from './helpers.ts';

const SPECTRAL = /^(band\d\d|centroid|env_f\d+)$/;

function compareToReference(ours: string, ref: string): void {
  const a = readCsvColumns(readFileSync(ours, 'utf8'));
  const b = readCsvColumns(readFileSync(ref, 'utf8'));
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const col of Object.keys(b)) {
    const tol = SPECTRAL.test(col) ? 1e-4 : 1e-6;
    expect(a[col].length).toBe(b[col].length);
    a[col].forEach((v, i) => {
      const r = b[col][i];
      const rel = Math.abs(v - r) / Math.max(Math.abs(r), 1e-300);
      if (!(rel <= tol))
        throw new Error(`${col}[${i}]: ours ${v}, numpy ${r}, relative error ${rel} > ${tol}`);
    });
  }
}

describe('RealFft', () => {
  it.each([2, 6, 64, 100, 1001, 20480])('matches the complex FFT and inverts exactly (n=%i)', (n) => {
    const x = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * i * 0.01) + (i % 7) * 0.1,
    );
    const spec = new RealFft(n).forward(x);
    const full = new Float64Array(2 * n);
    const cx = new Float64Array(2 * n);
    x.forEach((v, i) => (cx[2 * i] = v));
    new ComplexFft(n).forward(full, cx);
    for (let k = 0; k <= n >> 1; k++) {
      expect(spec[2 * k]).toBeCloseTo(full[2 * k], 8);
      expect(spec[2 * k + 1]).toBeCloseTo(full[2 * k + 1], 8);
    }
    const back = new RealFft(n).inverse(spec);
    back.forEach((v, i) => expect(v).toBeCloseTo(x[i], 10));
  });
});

describe('FeatureExtractor on hand-computed signals', () => {
  it('a sampled sine: rms A/sqrt2, crest sqrt2, kurtosis 1.5, all energy in one band at the tone frequency', () => {
    const n = 4096,
      fs = 4096,
      f = 256,
      A = 2;
    const x = Float64Array.from({ length: n }, (_, i) => A * Math.sin((2 * Math.PI * f * i) / fs));
    const r = new FeatureExtractor(n, fs).computeRecord(x);
    expect(r.rms).toBeCloseTo(A / Math.SQRT2, 10);
    expect(r.peak).toBeCloseTo(A, 6);
    expect(r.p2p).toBeCloseTo(2 * A, 6);
    expect(r.crest).toBeCloseTo(Math.SQRT2, 6);
    expect(r.kurtosis).toBeCloseTo(1.5, 10);
    expect(r.skewness).toBeCloseTo(0, 10);
    // 16 samples per period: mean|sin| over phases 2 pi k/16 is cot(pi/16)/8 (not the continuous 2/pi)
    const meanAbs = A / Math.tan(Math.PI / 16) / 8;
    expect(r.shape).toBeCloseTo(A / Math.SQRT2 / meanAbs, 10);
    expect(r.impulse).toBeCloseTo(A / meanAbs, 10);
    // bin 256 of 2048 lies in band 1 (edges every 128 bins from 1); |X|^2/N^2 = A^2/4
    expect(r.band01).toBeCloseTo((A * A) / 4, 10);
    expect(r.band00 + r.band02 + r.band15).toBeLessThan(1e-20);
    expect(r.centroid).toBeCloseTo(f, 6);
  });

  it('an amplitude-modulated carrier: the envelope spectrum peaks at the modulation frequency with its amplitude', () => {
    const n = 8192,
      fs = 8192,
      fm = 50,
      fc = 1000,
      m = 0.5;
    const x = Float64Array.from(
      { length: n },
      (_, i) => (1 + m * Math.cos((2 * Math.PI * fm * i) / fs)) * Math.sin((2 * Math.PI * fc * i) / fs),
    );
    const ex = new FeatureExtractor(n, fs, numberedDefects([fm, 300]));
    const r = ex.computeRecord(x);
    expect(ex.columns).toEqual(featureColumns(numberedDefects([fm, 300])));
    expect(r.env_f0).toBeCloseTo(m, 6); // envelope 1 + m cos: amplitude m at fm
    expect(r.env_f1).toBeLessThan(1e-6);
  });

  it('rejects lengths below 64', () => {
    expect(() => new FeatureExtractor(63, 1000)).toThrow(/>= 64/);
  });
});

describe('features against numpy_features.py', () => {
  const dir = tempDir('features');
  const defects = '87.3,130.1,34.6,9.4';
  const cases: [number, number][] = [
    [32768, 6],
    [20480, 6],
    [25600, 4],
    [10000, 4],
    [1001, 10],
    [64, 10],
  ];
  const rateOf = (length: number) => (length === 20480 ? 20000 : length === 10000 ? 10000 : 25600);
  const cliDefects = '236.4,296.9,139.9,14.8';
  // every wave and every reference CSV the tests below compare with, made by the reference script
  // in one python process (what each test made for itself with two python runs before)
  beforeAll(() => {
    if (!needsReference()) return;
    const commands = cases.flatMap(([length, snapshots]) => {
      const rate = String(rateOf(length));
      const wave = join(dir, `w${length}.f32`);
      return [
        [
          'make',
          '--out',
          wave,
          '--snapshots',
          String(snapshots),
          '--length',
          String(length),
          '--rate',
          rate,
          '--seed',
          '3',
        ],
        [
          'features',
          '--in',
          wave,
          '--length',
          String(length),
          '--rate',
          rate,
          '--defects',
          defects,
          '--out',
          join(dir, `ref${length}.csv`),
        ],
      ];
    });
    const wave = join(dir, 'cli.f32');
    commands.push(
      ['make', '--out', wave, '--snapshots', '4', '--length', '20480', '--rate', '20000', '--seed', '5'],
      [
        'features',
        '--in',
        wave,
        '--length',
        '20480',
        '--rate',
        '20000',
        '--defects',
        cliDefects,
        '--out',
        join(dir, 'cli-ref.csv'),
      ],
    );
    numpyReference(commands);
  });

  it.each(cases)('length %i: every column within 1e-6 (time) / 1e-4 (spectral)', (length) => {
    if (!needsReference()) return;
    const ours = join(dir, `ours${length}.csv`);
    computeFeaturesFile({
      input: join(dir, `w${length}.f32`),
      output: ours,
      length,
      rateHz: rateOf(length),
      defectsHz: defects.split(',').map(Number),
    });
    compareToReference(ours, join(dir, `ref${length}.csv`));
  });

  it('the CLI writes the same CSV (IMS length 20480, not a power of two)', async () => {
    if (!needsReference()) return;
    const ours = join(dir, 'cli-ours.csv');
    const r = await runCli([
      'features',
      '--format',
      'f32',
      '--in',
      join(dir, 'cli.f32'),
      '--length',
      '20480',
      '--rate',
      '20000',
      '--defects',
      cliDefects,
      '--out',
      ours,
    ]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    compareToReference(ours, join(dir, 'cli-ref.csv'));
  });

  it('a file that is not a whole number of snapshots is refused with the sizes, exit 2', async () => {
    const bad = join(dir, 'bad.f32');
    writeFileSync(bad, Buffer.alloc(4 * 100 + 2));
    const r = await runCli([
      'features',
      '--in',
      bad,
      '--length',
      '100',
      '--rate',
      '1000',
      '--out',
      join(dir, 'bad.csv'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/402 bytes is not a whole number of snapshots of --length 100/);
  });
});
