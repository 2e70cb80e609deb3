import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/leadtime.js');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LEADTIME_HOME: mkdtempSync(join(tmpdir(), 'lt-home-')) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('leadtime CLI', () => {
  it('--help lists the commands and exits 0', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: leadtime/);
    expect(r.out).toMatch(/generate/);
    expect(r.out).toMatch(/demo/);
  });

  it('--help works on every level', () => {
    expect(run('generate', '--help').out).toMatch(/fleet/);
    const r = run('generate', 'fleet', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--assets <n>/);
  });

  it('backtest starts the RUL model from the design fleet, and --no-design-prior from the fleet alone', () => {
    type Report = {
      assets: number;
      designPrior: string | null;
      perAsset: { predictions: { t: number }[]; failureT: number }[];
    };
    // short snapshots: the indicators are what the test needs, not their spectral detail
    const config = join(mkdtempSync(join(tmpdir(), 'lt-bt-')), 'fleet.json');
    writeFileSync(config, JSON.stringify({ snapshotSeconds: 0.05, interval: '12h' }));
    const withPrior = run('backtest', '-c', config, '-n', '4', '-s', '3', '--json', '-q');
    expect(withPrior.code, withPrior.err).toBe(0);
    const a = JSON.parse(withPrior.out) as Report;
    expect(a.assets).toBe(4);
    expect(a.designPrior).toMatch(/design fleet, seeds 101,102,103,104,105/);
    const alone = run('backtest', '-c', config, '-n', '4', '-s', '3', '--json', '-q', '--no-design-prior');
    expect(alone.code, alone.err).toBe(0);
    const b = JSON.parse(alone.out) as Report;
    expect(b.designPrior).toBeNull();
    // with the prior every bearing is predicted before the fleet's first failure; alone, none is
    const firstFailure = Math.min(...a.perAsset.map((p) => p.failureT));
    const early = (r: Report) =>
      r.perAsset.filter((p) => p.predictions.some((x) => x.t < firstFailure)).length;
    expect(early(a)).toBe(4);
    expect(early(b)).toBe(0);
  });

  it('--version prints the package version', () => {
    const r = run('--version');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^0\.\d+\.\d+/);
  });

  it('exits 2 on bad usage, naming the problem', () => {
    const unknown = run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    const badInt = run('generate', 'fleet', '--assets', 'many');
    expect(badInt.code).toBe(2);
    expect(badInt.err).toMatch(/--assets expects an integer >= 1, got "many"/);
  });

  it('exits 2 on a bad config file, naming the file, field and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-cfg-'));
    const f = join(dir, 'fleet.yaml');
    writeFileSync(f, 'assets: 3\nsampleRateHz: -5\nonset: { uniform: { min: 1d } }\n');
    const r = run('generate', 'fleet', '--config', f, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(f);
    expect(r.err).toMatch(/sampleRateHz \(line 2\): expected a number > 0, got -5/);
    expect(r.err).toMatch(/onset\.uniform\.max .*expected a value/);
  });

  it('generate fleet writes the same bytes twice for the same seed, and --json reports it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-gen-'));
    const a = run('generate', 'fleet', '--assets', '5', '--seed', '7', '--out', join(dir, 'a'), '--json');
    const b = run('generate', 'fleet', '--assets', '5', '--seed', '7', '--out', join(dir, 'b'));
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const summary = JSON.parse(a.out) as { assets: number; snapshots: number; files: string[] };
    expect(summary.assets).toBe(5);
    for (const f of summary.files) expect(sha(join(dir, 'b', f))).toBe(sha(join(dir, 'a', f)));
    expect(readFileSync(join(dir, 'a', 'truth.csv'), 'utf8').split('\n')[0]).toBe(
      'asset,faultMode,onsetT,failureT,onset,failure,shaftHz,faultHz',
    );
  });
});
