import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('leadtime demo (npm start)', () => {
  it('runs fleet -> store -> backtest -> simulation end to end on the embedded default', () => {
    const home = mkdtempSync(join(tmpdir(), 'lt-demo-'));
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/leadtime.js'), '--home', home, 'demo'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ingest f32: (\d+) records -> \1 stored, 0 duplicates, 0 rejected/);
    expect(existsSync(join(home, 'store', 'telemetry.duckdb'))).toBe(true);
    const backtest = JSON.parse(readFileSync(join(home, 'demo', 'backtest.json'), 'utf8'));
    expect(backtest.assets).toBe(12);
    expect(backtest.detectionRate).toBeGreaterThan(0.8);
    const sim = JSON.parse(readFileSync(join(home, 'demo', 'simulation.json'), 'utf8'));
    expect(sim.timeUnit).toBe('minutes');
    expect(Object.keys(sim.priorities)).toEqual(['P1', 'P2', 'P3', 'P4']);
  });
});
